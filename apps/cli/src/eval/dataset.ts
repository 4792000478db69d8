import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseRttm, parseUem, type Segment, type TimeRange } from '@diarization/evaluation';
import { UsageError } from '../run-main';

/** ../shared/eval beside the checkout (this file is apps/cli/dist/eval/dataset.js once built). */
export const DEFAULT_EVAL_DIR = resolve(__dirname, '../../../../../shared/eval');

export interface EvalItem {
  name: string;
  audio: string;
  reference: Segment[];
  uem?: TimeRange[];
  /** Scored in the core DER (pyannote's own recordings not marked "exclude-from-DER"). */
  core: boolean;
}

const AUDIO_EXTENSIONS = ['.wav', '.flac', '.ogg', '.mp3', '.m4a', '.opus'];

/**
 * The recordings of an evaluation folder: from its manifest.tsv when there is one (columns
 * name, audio, reference, uem, ..., note), else every NAME.rttm with an audio file NAME.*.
 */
export function loadDataset(dir: string): EvalItem[] {
  if (!existsSync(dir)) throw new UsageError(`evaluation folder ${dir} does not exist`);
  const manifest = join(dir, 'manifest.tsv');
  const rows = existsSync(manifest) ? manifestRows(manifest) : discoveredRows(dir);
  if (rows.length === 0) throw new UsageError(`no recordings with reference RTTMs found in ${dir}`);
  return rows.map((row) => {
    const references = parseRttm(readFileSync(join(dir, row.reference), 'utf8'));
    const uems = row.uem ? parseUem(readFileSync(join(dir, row.uem), 'utf8')) : undefined;
    return {
      name: row.name,
      audio: join(dir, row.audio),
      // one file per RTTM here: take its segments whatever the file id says
      reference: [...references.values()].flat(),
      uem: uems ? [...uems.values()].flat() : undefined,
      core: row.name.startsWith('pyannote_') && !/exclude-from-DER/i.test(row.note),
    };
  });
}

interface Row {
  name: string;
  audio: string;
  reference: string;
  uem?: string;
  note: string;
}

function manifestRows(path: string): Row[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim().length > 0);
  const columns = header.split('\t');
  const column = (cells: string[], name: string) => cells[columns.indexOf(name)] ?? '';
  return lines.map((line) => {
    const cells = line.split('\t');
    return {
      name: column(cells, 'name'),
      audio: column(cells, 'audio'),
      reference: column(cells, 'reference'),
      uem: column(cells, 'uem') || undefined,
      note: column(cells, 'note'),
    };
  });
}

function discoveredRows(dir: string): Row[] {
  const files = readdirSync(dir);
  return files
    .filter((f) => f.endsWith('.rttm') && f.split('.').length === 2)
    .map((f) => f.slice(0, -'.rttm'.length))
    .flatMap((name) => {
      const audio = files.find((f) => AUDIO_EXTENSIONS.some((ext) => f === `${name}${ext}`));
      if (!audio) return [];
      return [{ name, audio, reference: `${name}.rttm`, uem: files.includes(`${name}.uem`) ? `${name}.uem` : undefined, note: '' }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
