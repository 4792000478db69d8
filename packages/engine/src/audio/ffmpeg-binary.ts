import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants } from 'node:fs';
import { DiarizationError } from '../errors';

/** The working binary found for each preferred one ('' when none was given). */
const found = new Map<string, string>();

function runs(binary: string): boolean {
  const result = spawnSync(binary, ['-hide_banner', '-version'], { stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

/** The ffmpeg that ships inside the @ffmpeg-installer npm package for this platform, if any. */
function bundledFfmpeg(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { path } = require('@ffmpeg-installer/ffmpeg') as { path: string };
    try {
      accessSync(path, constants.X_OK);
    } catch {
      // npm may skip the package's install script, which is what sets the executable bit.
      chmodSync(path, 0o755);
    }
    return path;
  } catch {
    return undefined;
  }
}

/**
 * Finds a working ffmpeg: `preferred` (the caller's setting, e.g. FFMPEG_PATH) when it runs,
 * else the system one on PATH, else the binary shipped in an npm package. The engine reads no
 * environment: its callers pass their setting. Resolved once per process for each setting.
 */
export function ffmpegPath(preferred?: string): string {
  const key = preferred?.trim() ?? '';
  const known = found.get(key);
  if (known) return known;
  const candidates = [key, 'ffmpeg', bundledFfmpeg()].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    if (runs(candidate)) {
      found.set(key, candidate);
      return candidate;
    }
  }
  throw new DiarizationError(
    'FFMPEG_MISSING',
    'no working ffmpeg found: install it (apt-get install ffmpeg) or set FFMPEG_PATH',
  );
}

const layoutChannels = new Map<string, number>();

/** Number of channels of an ffmpeg channel-layout name ("stereo", "5.1(side)", "3 channels"). */
export function channelsOfLayout(layout: string, binary: string): number | undefined {
  const generic = /^(\d+) channels/.exec(layout);
  if (generic) return Number(generic[1]);
  if (layoutChannels.size === 0) {
    // ffmpeg lists every standard layout with its decomposition, e.g. "5.1(side)  FL+FR+FC+LFE+SL+SR".
    const listing = spawnSync(binary, ['-hide_banner', '-layouts'], { encoding: 'utf8', timeout: 10_000 });
    const text = `${listing.stdout ?? ''}${listing.stderr ?? ''}`;
    const standard = text.slice(text.indexOf('Standard channel layouts'));
    for (const line of standard.split('\n')) {
      const match = /^(\S+)\s+([A-Z0-9]+(?:\+[A-Z0-9]+)*)\s*$/.exec(line.trim());
      if (match) layoutChannels.set(match[1], match[2].split('+').length);
    }
  }
  return layoutChannels.get(layout);
}
