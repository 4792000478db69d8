import type { DerComponents } from '@diarization/evaluation';

export interface FileScore extends DerComponents {
  name: string;
  duration: number;
  speakersFound: number;
  speakersTrue: number;
  core: boolean;
  seconds: number;
}

const percent = (value: number) => `${(100 * value).toFixed(1)}`.padStart(6);

/** The per-file table, then the totals, as fixed-width text. */
export function formatTable(scores: readonly FileScore[], totals: Record<string, DerComponents>): string {
  const width = Math.max(24, ...scores.map((s) => s.name.length)) + 2;
  const header = `${'file'.padEnd(width)}${'dur s'.padStart(7)}${'DER%'.padStart(7)}${'miss%'.padStart(7)}${'FA%'.padStart(7)}${'conf%'.padStart(7)}${'spk'.padStart(8)}`;
  const rows = scores.map((s) => {
    const ratio = (v: number) => (s.total > 0 ? v / s.total : 0);
    return (
      `${(s.name + (s.core ? '' : ' *')).padEnd(width)}${s.duration.toFixed(1).padStart(7)}${percent(s.der)} ${percent(ratio(s.missed))} ${percent(ratio(s.falseAlarm))} ${percent(ratio(s.confusion))}` +
      `${`${s.speakersFound}/${s.speakersTrue}`.padStart(8)}`
    );
  });
  const totalRows = Object.entries(totals).map(([label, t]) => {
    const ratio = (v: number) => (t.total > 0 ? v / t.total : 0);
    return `${label.padEnd(width)}${''.padStart(7)}${percent(t.der)} ${percent(ratio(t.missed))} ${percent(ratio(t.falseAlarm))} ${percent(ratio(t.confusion))}`;
  });
  const rule = '-'.repeat(header.length);
  return [header, rule, ...rows, rule, ...totalRows].join('\n') + '\n';
}

/** One setting of the speed dial, scored over the whole set. */
export interface DialRow {
  setting: string;
  total: DerComponents;
  core?: DerComponents;
  /** Diarization seconds and audio seconds, summed over the files. */
  seconds: number;
  audio: number;
}

/** DER (all files and core set) against real-time factor, one row per setting. */
export function formatSpeedDial(rows: readonly DialRow[]): string {
  const width = Math.max(20, ...rows.map((r) => r.setting.length)) + 2;
  const header = `${'setting'.padEnd(width)}${'DER%'.padStart(8)}${'core DER%'.padStart(11)}${'RTF'.padStart(9)}${'speed-up'.padStart(10)}`;
  const base = rows[0] ? rows[0].seconds / rows[0].audio : 1;
  const lines = rows.map((r) => {
    const rtf = r.seconds / r.audio;
    return `${r.setting.padEnd(width)}${percent(r.total.der).padStart(8)}${(r.core ? percent(r.core.der) : '-').padStart(11)}${rtf.toFixed(4).padStart(9)}${`${(base / rtf).toFixed(2)}x`.padStart(10)}`;
  });
  return [header, '-'.repeat(header.length), ...lines].join('\n') + '\n';
}
