import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { PlaybackClock } from './clock';
import { Downloads } from './Downloads';
import { identifiedNames, speakersOf, withDefaultNames, type DiarizationDocument, type Segment, type SpeakerNames } from './model';
import { SpeakerNamesForm } from './SpeakerNamesForm';
import { speakerStats } from './stats';
import { TalkTime } from './TalkTime';
import { clampZoom, Timeline } from './Timeline';
import { formatClock } from './time-format';

export interface AudioSource {
  /** An object URL (the browser's own copy) or a data: URL (embedded in a report). */
  src: string;
  /** Where it comes from, shown to the user. */
  description: string;
}

export interface ResultViewProps {
  document: DiarizationDocument;
  /** Base name for the downloads and the RTTM file id. */
  fileId: string;
  audio: AudioSource | null;
  /** Why there is no audio, when there is none. */
  noAudioReason: string;
  names: SpeakerNames;
  onNamesChange(names: SpeakerNames): void;
}

const SEEK_STEP_SECONDS = 5;

/** Elements whose own keys (typing, activating) must not be taken over by the shortcuts. */
function ownsKeys(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'AUDIO', 'VIDEO'].includes(target.tagName)) return true;
  return key === ' ' && ['BUTTON', 'A', 'SUMMARY'].includes(target.tagName);
}

/** The whole result: timeline, player, talk time, names and downloads (the console and the CLI's report). */
export function ResultView({ document, fileId, audio: givenAudio, noAudioReason, names, onNamesChange }: ResultViewProps) {
  const speakers = useMemo(() => speakersOf(document), [document]);
  const identified = useMemo(() => identifiedNames(document), [document]);
  const shownNames = useMemo(() => withDefaultNames(identified, names), [identified, names]);
  const stats = useMemo(() => speakerStats(document.segments, speakers), [document, speakers]);
  const clock = useMemo(() => new PlaybackClock(), []);
  const [zoom, setZoom] = useState(1);
  const [pickedAudio, setPickedAudio] = useState<AudioSource | null>(null);
  const audio = givenAudio ?? pickedAudio;
  const player = useRef<HTMLAudioElement>(null);
  /** Where playback of a clicked segment stops. */
  const stopAt = useRef<number | null>(null);

  useEffect(() => () => {
    if (pickedAudio) URL.revokeObjectURL(pickedAudio.src);
  }, [pickedAudio]);

  // Follow the audio at display rate while it plays (timeupdate alone fires only ~4 times a second).
  useEffect(() => {
    const element = player.current;
    if (!element) return;
    let frame = 0;
    const tick = () => {
      if (stopAt.current !== null && element.currentTime >= stopAt.current) {
        element.pause();
        stopAt.current = null;
      }
      clock.set(element.currentTime);
      if (!element.paused) frame = requestAnimationFrame(tick);
    };
    const start = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(tick);
    };
    const sync = () => clock.set(element.currentTime);
    element.addEventListener('play', start);
    element.addEventListener('seeked', sync);
    element.addEventListener('timeupdate', sync);
    return () => {
      cancelAnimationFrame(frame);
      element.removeEventListener('play', start);
      element.removeEventListener('seeked', sync);
      element.removeEventListener('timeupdate', sync);
    };
  }, [audio, clock]);

  const seek = useCallback(
    (seconds: number) => {
      const target = Math.min(document.duration, Math.max(0, seconds));
      stopAt.current = null;
      if (player.current) player.current.currentTime = target;
      clock.set(target);
    },
    [clock, document],
  );

  const playSegment = useCallback(
    (segment: Segment) => {
      const element = player.current;
      clock.set(segment.start);
      if (!element) return;
      element.currentTime = segment.start;
      stopAt.current = segment.end;
      void element.play().catch(() => undefined);
    },
    [clock],
  );

  const togglePlayback = useCallback(() => {
    const element = player.current;
    if (!element) return;
    stopAt.current = null;
    if (element.paused) void element.play().catch(() => undefined);
    else element.pause();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || ownsKeys(event.target, event.key)) return;
      const handled: Record<string, () => void> = {
        ' ': togglePlayback,
        ArrowLeft: () => seek(clock.time - (event.shiftKey ? 1 : SEEK_STEP_SECONDS)),
        ArrowRight: () => seek(clock.time + (event.shiftKey ? 1 : SEEK_STEP_SECONDS)),
        '+': () => setZoom((z) => clampZoom(z * 1.5)),
        '=': () => setZoom((z) => clampZoom(z * 1.5)),
        '-': () => setZoom((z) => clampZoom(z / 1.5)),
        '0': () => setZoom(1),
      };
      const action = handled[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePlayback, seek, clock]);

  const turns = document.segments.length;
  return (
    <div class="result-view">
      <p class="result-summary">
        <strong>{speakers.length}</strong> {speakers.length === 1 ? 'speaker' : 'speakers'} · <strong>{turns}</strong> {turns === 1 ? 'turn' : 'turns'} ·{' '}
        {formatClock(document.duration)} long
      </p>
      <section class="card player" aria-labelledby="player-title">
        <h3 id="player-title">Playback</h3>
        {audio ? (
          <>
            <audio ref={player} src={audio.src} controls preload="auto" aria-label="Audio" />
            <p class="hint">{audio.description}</p>
          </>
        ) : (
          <>
            <p class="notice" role="status">{noAudioReason}</p>
            <label class="file-pick">
              Play a copy from this computer:{' '}
              <input
                type="file"
                accept="audio/*,video/*"
                onChange={(event) => {
                  const file = (event.currentTarget as HTMLInputElement).files?.[0];
                  if (file) setPickedAudio({ src: URL.createObjectURL(file), description: `Playing ${file.name} from this computer.` });
                }}
              />
            </label>
          </>
        )}
        <p class="hint keys">
          Keys: <kbd>Space</kbd> play/pause · <kbd>←</kbd>/<kbd>→</kbd> 5 s (with <kbd>Shift</kbd> 1 s) · <kbd>+</kbd>/<kbd>−</kbd> zoom · <kbd>0</kbd> fit. Click a turn to play it.
        </p>
      </section>
      <Timeline
        document={document}
        speakers={speakers}
        names={shownNames}
        clock={clock}
        zoom={zoom}
        onZoom={setZoom}
        onSeek={seek}
        onPlaySegment={playSegment}
      />
      <div class="result-columns">
        <TalkTime stats={stats} names={shownNames} duration={document.duration} />
        <SpeakerNamesForm speakers={speakers} names={names} defaults={identified} onChange={onNamesChange} />
      </div>
      <Downloads document={document} names={shownNames} fileId={fileId} />
    </div>
  );
}
