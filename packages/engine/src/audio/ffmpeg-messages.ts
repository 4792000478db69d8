/** Making sense of what ffmpeg writes to stderr. */

/** "Duration: 00:01:02.50, ..." of the input, unless ffmpeg only estimated it. */
export function declaredDuration(stderr: readonly string[]): { seconds: number; estimated: boolean } | undefined {
  const estimated = stderr.some((line) => /Estimating duration from bitrate/i.test(line));
  for (const line of stderr) {
    const match = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(line);
    if (match) {
      return { seconds: Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]), estimated };
    }
  }
  return undefined;
}

/** Channel layout of our own output stream ("Output #0 ... Audio: pcm_f32le, 16000 Hz, stereo, flt"). */
export function outputLayout(stderr: readonly string[]): string | undefined {
  const outputStart = stderr.findIndex((line) => line.startsWith('Output #0'));
  if (outputStart < 0) return undefined;
  for (const line of stderr.slice(outputStart)) {
    const match = /Audio: pcm_f32le[^,]*, \d+ Hz, ([^,]+), flt/.exec(line);
    if (match) return match[1].trim();
  }
  return undefined;
}

/** Signs that the input ended early or holds damaged packets. */
const DAMAGE_PATTERNS = [
  /corrupt input packet/i,
  /Error while decoding stream/i,
  /filesize and duration do not match/i,
  /Packet corrupt/i,
  /invalid residual/i,
  /decode_frame\(\) failed/i,
];

export function damageReport(stderr: readonly string[]): string | undefined {
  const line = stderr.find((l) => DAMAGE_PATTERNS.some((pattern) => pattern.test(l)));
  return line === undefined ? undefined : cleanLine(line);
}

/** The most useful line to show a person when ffmpeg fails. */
export function failureReason(stderr: readonly string[], source: string): string {
  const text = stderr.join('\n');
  if (/matches no streams|does not contain any stream|Output file .* does not contain any stream/i.test(text)) {
    return 'the file has no audio track';
  }
  if (/No such file or directory/i.test(text)) return 'the file does not exist';
  if (/Invalid data found when processing input|moov atom not found|could not find codec parameters|: Invalid argument$/im.test(text)) {
    return 'the file is not a recognised audio or video format, or it is corrupt';
  }
  const meaningful = stderr
    .map(cleanLine)
    .filter((line) => line.length > 0 && !/^(ffmpeg version|built with|configuration:|lib\w+ )/.test(line))
    .filter((line) => !/^(Input|Output|Stream|Metadata|Duration|Press|size=|video:|Stream mapping)/.test(line));
  const last = meaningful[meaningful.length - 1];
  return last ? last.split(source).join('input') : 'ffmpeg failed without saying why';
}

function cleanLine(line: string): string {
  return line.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\]\s*/i, '').trim();
}
