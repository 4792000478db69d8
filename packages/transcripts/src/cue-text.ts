/**
 * How SubRip and WebVTT write a cue's time and text: one definition for the transcripts' SRT and
 * WebVTT output and the console's WebVTT download (which imports this module alone, a light
 * subpath without zod: `@diarization/transcripts/cue-text`).
 */

/** `HH:MM:SS<separator>mmm`: ',' for SubRip, '.' for WebVTT. */
export function cueTimestamp(seconds: number, separator: ',' | '.'): string {
  const millis = Math.max(0, Math.round(seconds * 1000));
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(Math.floor(millis / 3_600_000))}:${pad(Math.floor(millis / 60_000) % 60)}:${pad(Math.floor(millis / 1000) % 60)}${separator}${pad(millis % 1000, 3)}`;
}

/** Text as WebVTT cue text or voice name: character references for its markup characters. */
export function escapeVttText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
