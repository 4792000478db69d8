import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PlaybackClock } from './clock';
import { speakerColor } from './colors';
import { confidenceNote, displayName, isUnsure, type DiarizationDocument, type Segment, type SpeakerNames } from './model';
import { overlapRegions } from './stats';
import { formatClock, tickStep } from './time-format';

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 64;

interface TimelineProps {
  document: DiarizationDocument;
  speakers: readonly string[];
  names: SpeakerNames;
  clock: PlaybackClock;
  /** 1 = the whole recording fits the width; larger values zoom in. */
  zoom: number;
  onZoom(zoom: number): void;
  onSeek(seconds: number): void;
  onPlaySegment(segment: Segment): void;
}

/** One lane per speaker, an overlap lane, a time axis and the playhead; zoom and scroll. */
export function Timeline({ document, speakers, names, clock, zoom, onZoom, onSeek, onPlaySegment }: TimelineProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [viewWidth, setViewWidth] = useState(0);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewWidth(element.clientWidth));
    observer.observe(element);
    setViewWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);

  const duration = Math.max(document.duration, 0.001);
  const pixelsPerSecond = (Math.max(viewWidth, 200) / duration) * zoom;
  const width = duration * pixelsPerSecond;
  const overlaps = useMemo(() => overlapRegions(document.segments), [document]);
  const step = tickStep(pixelsPerSecond);
  const ticks: number[] = [];
  for (let t = 0; t <= duration + 1e-9; t += step) ticks.push(t);

  const x = (seconds: number) => `${seconds * pixelsPerSecond}px`;

  // Ctrl/⌘ + wheel zooms (as in maps and editors); a plain wheel scrolls the page.
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      onZoom(clampZoom(zoom * (event.deltaY < 0 ? 1.25 : 0.8)));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [zoom, onZoom]);

  const seekFromPointer = (event: MouseEvent) => {
    const target = event.currentTarget as HTMLElement;
    const offset = event.clientX - target.getBoundingClientRect().left;
    onSeek(Math.min(duration, Math.max(0, offset / pixelsPerSecond)));
  };

  return (
    <section class="timeline" aria-label="Timeline">
      <div class="timeline-toolbar">
        <span id="timeline-zoom-label">Zoom {zoom.toFixed(zoom < 10 ? 1 : 0)}×</span>
        <div class="button-row">
          <button type="button" onClick={() => onZoom(clampZoom(zoom / 1.5))} disabled={zoom <= MIN_ZOOM} aria-label="Zoom out">−</button>
          <button type="button" onClick={() => onZoom(clampZoom(zoom * 1.5))} disabled={zoom >= MAX_ZOOM} aria-label="Zoom in">+</button>
          <button type="button" onClick={() => onZoom(1)} disabled={zoom === 1}>Fit</button>
        </div>
      </div>
      <div class="timeline-body">
        <ul class="lane-labels" aria-hidden="true">
          <li class="axis-spacer" />
          {speakers.map((speaker, index) => (
            <li key={speaker} class="lane-label" title={displayName(names, speaker)}>
              <span class="swatch" style={{ background: speakerColor(index) }} />
              {displayName(names, speaker)}
            </li>
          ))}
          <li class="lane-label lane-label-overlap">Overlap</li>
        </ul>
        <div class="timeline-scroll" ref={scroller} tabIndex={0} role="region" aria-label="Timeline lanes (scroll sideways when zoomed in)">
          <div class="timeline-canvas" style={{ width: `${width}px` }}>
            <div class="axis" onClick={seekFromPointer} title="Click to move the playhead">
              {ticks.map((t) => (
                <span key={t} class="tick" style={{ left: x(t) }}>
                  {formatClock(t, step < 1 ? 1 : 0)}
                </span>
              ))}
            </div>
            {speakers.map((speaker, index) => (
              <div key={speaker} class="lane" data-speaker={speaker} role="group" aria-label={`${displayName(names, speaker)}'s turns`}>
                {document.segments
                  .filter((s) => s.speaker === speaker)
                  .map((segment) => (
                    <button
                      type="button"
                      key={`${segment.start}-${segment.end}`}
                      class={isUnsure(segment) ? 'segment unsure' : 'segment'}
                      data-start={segment.start}
                      data-end={segment.end}
                      style={{ left: x(segment.start), width: `max(2px, ${x(segment.end - segment.start)})`, background: speakerColor(index) }}
                      aria-label={`Play ${displayName(names, speaker)} from ${formatClock(segment.start)} to ${formatClock(segment.end)}`}
                      title={`${displayName(names, speaker)}: ${formatClock(segment.start)}–${formatClock(segment.end)}${confidenceNote(segment)}`}
                      onClick={() => onPlaySegment(segment)}
                    />
                  ))}
              </div>
            ))}
            <div class="lane lane-overlap" aria-label={`${overlaps.length} stretches where speakers overlap`} role="img">
              {overlaps.map((region) => (
                <span key={region.start} class="overlap" style={{ left: x(region.start), width: `max(2px, ${x(region.end - region.start)})` }} />
              ))}
            </div>
            <Playhead clock={clock} pixelsPerSecond={pixelsPerSecond} scroller={scroller} />
          </div>
        </div>
      </div>
    </section>
  );
}

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

interface PlayheadProps {
  clock: PlaybackClock;
  pixelsPerSecond: number;
  scroller: { current: HTMLDivElement | null };
}

/** Redraws alone on each clock tick, and keeps itself in view while playing. */
function Playhead({ clock, pixelsPerSecond, scroller }: PlayheadProps) {
  const [time, setTime] = useState(clock.time);
  useEffect(() => clock.subscribe(setTime), [clock]);
  const left = time * pixelsPerSecond;
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (left < element.scrollLeft || left > element.scrollLeft + element.clientWidth - 24) {
      element.scrollLeft = Math.max(0, left - element.clientWidth / 4);
    }
  }, [left, scroller]);
  return <div class="playhead" data-time={time.toFixed(3)} style={{ left: `${left}px` }} aria-hidden="true" />;
}
