import type { Progress } from '@diarization/engine';

/** A one-line progress bar on stderr, only when stderr is a terminal. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): ((progress: Progress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let last = '';
  return ({ stage, fraction }) => {
    const width = 30;
    const filled = Math.round(fraction * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${stage}`;
    if (line === last) return;
    last = line;
    stream.write(`\r${line.padEnd(60)}`);
    if (stage === 'done') stream.write('\n');
  };
}
