import { cueSegments } from './cues';
import { splitBlocks } from './text-blocks';
import { TranscriptError, type Transcript } from './types';

// [hours:]minutes:seconds.milliseconds, as the WebVTT spec writes timestamps
const TIME = String.raw`(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})`;
const WEBVTT = {
  name: 'WebVTT',
  timingLine: new RegExp(String.raw`^${TIME}[ \t]+-->[ \t]+${TIME}(?:[ \t].*)?$`),
  example: '00:00:01.000 --> 00:00:02.500',
};

/** WebVTT (.vtt): the `WEBVTT` header, then cues; NOTE, STYLE and REGION blocks are skipped. */
export function parseVtt(text: string): Transcript {
  const [header, ...blocks] = splitBlocks(text);
  if (header === undefined || header.firstLine !== 1 || !/^WEBVTT([ \t].*)?$/.test(header.lines[0])) {
    throw new TranscriptError('not a WebVTT transcript: the first line must be "WEBVTT"');
  }
  const cues = blocks.filter((block) => !/^(NOTE|STYLE|REGION)([ \t]|$)/.test(block.lines[0]));
  return { segments: cueSegments(cues, WEBVTT) };
}
