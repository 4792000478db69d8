import { cueTimestamp, escapeVttText } from './cue-text';
import type { AttributedSegment, AttributedTranscript } from './attribute';

/** One subtitle cue: a stretch of one speaker's words. */
export interface SpeakerCue {
  start: number;
  end: number;
  /** The voiceprint label when identification named the speaker, else the diarization label; null when unknown. */
  speaker: string | null;
  text: string;
}

/**
 * The transcript as cues: one per segment, split where the speaker changes between its words
 * (a split part's text is its words joined with spaces; a whole segment keeps its own text).
 */
export function speakerCues(transcript: AttributedTranscript): SpeakerCue[] {
  const name = (speaker: string | null): string | null => (speaker === null ? null : (transcript.speaker_names[speaker] ?? speaker));
  return transcript.segments.flatMap((segment) => segmentCues(segment).map((cue) => ({ ...cue, speaker: name(cue.speaker) })));
}

function segmentCues(segment: AttributedSegment): SpeakerCue[] {
  const words = segment.words ?? [];
  if (words.length === 0 || words.every((word) => word.speaker === words[0].speaker)) {
    return [{ start: segment.start, end: segment.end, speaker: words[0]?.speaker ?? segment.speaker, text: segment.text }];
  }
  const cues: SpeakerCue[] = [];
  for (const word of words) {
    const last = cues[cues.length - 1];
    if (last !== undefined && last.speaker === word.speaker) {
      last.end = Math.max(last.end, word.end);
      last.text = `${last.text} ${word.text}`;
    } else {
      cues.push({ start: word.start, end: word.end, speaker: word.speaker, text: word.text });
    }
  }
  return cues;
}

/** SubRip with the speaker before each cue's text: `SPEAKER_00: Hello.` */
export function toSrt(transcript: AttributedTranscript): string {
  return speakerCues(transcript)
    .map((cue, index) => {
      const text = cue.speaker === null ? cue.text : `${cue.speaker}: ${cue.text}`;
      return `${index + 1}\n${cueTimestamp(cue.start, ',')} --> ${cueTimestamp(cue.end, ',')}\n${text}\n`;
    })
    .join('\n');
}

/** WebVTT with a voice span per cue: `<v SPEAKER_00>Hello.` */
export function toVtt(transcript: AttributedTranscript): string {
  const cues = speakerCues(transcript).map((cue) => {
    const text = cue.speaker === null ? escapeVttText(cue.text) : `<v ${escapeVttText(cue.speaker)}>${escapeVttText(cue.text)}`;
    return `${cueTimestamp(cue.start, '.')} --> ${cueTimestamp(cue.end, '.')}\n${text}\n`;
  });
  return ['WEBVTT\n', ...cues].join('\n');
}
