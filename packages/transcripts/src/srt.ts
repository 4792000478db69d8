import { cueSegments } from './cues';
import { splitBlocks } from './text-blocks';
import type { Transcript } from './types';

// hours:minutes:seconds,milliseconds; a dot instead of the comma is common enough to accept
const TIME = String.raw`(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{1,3})`;
const SRT = {
  name: 'SRT',
  timingLine: new RegExp(String.raw`^\s*${TIME}\s*-->\s*${TIME}(?:\s.*)?$`),
  example: '00:00:01,000 --> 00:00:02,500',
};

/** SubRip (.srt): numbered cues, `00:00:01,000 --> 00:00:02,500`, then the text lines. */
export function parseSrt(text: string): Transcript {
  return { segments: cueSegments(splitBlocks(text), SRT) };
}
