#!/usr/bin/env node
/**
 * npm run eval -- [DIR] [--embedding ID] [--recipe R] [--num-speakers N | --oracle-speakers] [--only A,B]
 *                 [--window-step S | --preset P | --speed-dial] [--confidence] [--identify]
 * Diarizes every recording of DIR (default ../shared/eval), scores DER (no collar, overlap scored,
 * UEM honoured, optimal mapping), prints a table and, last, one JSON line. --speed-dial does that
 * for every window step of SPEED_DIAL and the presets, and prints DER against real-time factor.
 * --confidence bins the hypothesised speech by segment confidence and prints the error per bin;
 * --identify measures speaker identification with voiceprints (eval/identification.ts).
 */
import { resolve } from 'node:path';
import { DiarizationEngine, PRESETS, RECIPES, type DiarizeOptions, type InternalDiarizeOptions, type Preset } from '@diarization/engine';
import { aggregateDer, computeDer } from '@diarization/evaluation';
import { oneOf, parseCommandLine, positiveNumber } from './arguments';
import { cliEngineSettings } from './engine-settings';
import { DEFAULT_EVAL_DIR, loadDataset, type EvalItem } from './eval/dataset';
import { addToBins, emptyBins, errorShare, formatConfidenceBins, type ConfidenceBin } from './eval/confidence-bins';
import { measureIdentification } from './eval/identification';
import { formatSpeedDial, formatTable, type DialRow, type FileScore } from './eval/report';
import { runMain, UsageError } from './run-main';
import { speakerOptions } from './speaker-options';


async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine({
    embedding: { type: 'string' },
    recipe: { type: 'string' },
    'num-speakers': { type: 'string' },
    'oracle-speakers': { type: 'boolean', default: false },
    only: { type: 'string' },
    threshold: { type: 'string' },
    'window-step': { type: 'string' },
    preset: { type: 'string' },
    'speed-dial': { type: 'boolean', default: false },
    confidence: { type: 'boolean', default: false },
    identify: { type: 'boolean', default: false },
    'models-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run eval -- [DIR] [--embedding ID] [--recipe 3.1|community-1] [--num-speakers N | --oracle-speakers] [--only NAME,NAME] [--threshold T]\n' +
        '                       [--window-step SECONDS | --preset default|fast | --speed-dial] [--confidence] [--identify]\n',
    );
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('expected at most one folder');
  const dir = resolve(positionals[0] ?? DEFAULT_EVAL_DIR);
  const only = values.only?.split(',').map((s) => s.trim());
  const items = loadDataset(dir).filter((item) => !only || only.includes(item.name));
  if (items.length === 0) throw new UsageError(`--only ${values.only} matches no recording in ${dir}`);
  const { numSpeakers } = speakerOptions(values);
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold > 0)) throw new UsageError(`--threshold must be a positive number`);

  const settings: InternalDiarizeOptions = {
    recipe: oneOf(values.recipe, RECIPES, '--recipe'),
    numSpeakers,
    agglomerative: threshold === undefined ? undefined : { threshold },
    windowStep: positiveNumber(values['window-step'], '--window-step'),
    preset: oneOf(values.preset, Object.keys(PRESETS) as Preset[], '--preset'),
  };
  const oracle = values['oracle-speakers'];

  const engine = await DiarizationEngine.load({ ...cliEngineSettings(values), embedding: values.embedding });
  try {
    const description = engine.description;
    const embedding = values.embedding ?? description.embedding.id;
    if (values.identify) {
      await measureIdentification(engine, items, settings, (line) => process.stdout.write(line));
      return 0;
    }
    if (values.confidence) {
      const bins = emptyBins();
      await evaluate(engine, items, settings, oracle, bins);
      process.stdout.write(`confidence on ${dir}: embedding ${embedding}, ${items.length} file(s); error = share of hypothesised speaker-seconds\n`);
      process.stdout.write(formatConfidenceBins(bins));
      process.stdout.write(`${JSON.stringify({ dir, embedding, confidence_bins: bins.map(binJson) })}\n`);
      return 0;
    }
    if (values['speed-dial']) {
      const rows: DialRow[] = [];
      for (const dial of SPEED_DIAL) {
        const { scores } = await evaluate(engine, items, { ...settings, ...dial.options }, oracle);
        rows.push({ setting: dial.label, ...totalsOf(scores), seconds: sum(scores.map((s) => s.seconds)), audio: sum(scores.map((s) => s.duration)) });
      }
      process.stdout.write(`speed dial on ${dir}: segmentation ${description.segmentation.id}, embedding ${embedding}\n`);
      process.stdout.write(formatSpeedDial(rows));
      process.stdout.write(`${JSON.stringify({ dir, embedding, speed_dial: rows.map(dialJson) })}\n`);
      return 0;
    }
    const { scores, recipe } = await evaluate(engine, items, settings, oracle);
    const { total, core } = totalsOf(scores);
    const totals = { 'total (time-weighted)': total, ...(core ? { 'core set': core } : {}) };
    process.stdout.write(`eval of ${dir}: segmentation ${description.segmentation.id}, embedding ${embedding}, recipe ${recipe}\n`);
    process.stdout.write(formatTable(scores, totals));
    process.stdout.write('(* = not in the core set)\n');
    process.stdout.write(
      `${JSON.stringify({
        dir,
        embedding,
        recipe,
        files: scores.map((s) => ({ name: s.name, der: round(s.der), speakers_found: s.speakersFound, speakers_true: s.speakersTrue })),
        der: round(total.der),
        core_der: core ? round(core.der) : null,
      })}\n`,
    );
  } finally {
    await engine.dispose();
  }
  return 0;
}

/** The settings --speed-dial compares: window steps (seconds), then the presets. */
const SPEED_DIAL: Array<{ label: string; options: DiarizeOptions }> = [
  ...[1, 2, 2.5, 3, 5].map((step) => ({ label: `window step ${step} s`, options: { windowStep: step } })),
  ...(Object.keys(PRESETS) as Preset[]).filter((p) => p !== 'default').map((preset) => ({ label: `preset ${preset}`, options: { preset } })),
];

const round = (v: number) => Math.round(v * 10000) / 10000;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function totalsOf(scores: FileScore[]) {
  const core = scores.some((s) => s.core) ? aggregateDer(scores.filter((s) => s.core)) : undefined;
  return { total: aggregateDer(scores), core };
}

function dialJson(row: DialRow) {
  return { setting: row.setting, der: round(row.total.der), core_der: row.core ? round(row.core.der) : null, rtf: round(row.seconds / row.audio) };
}

function binJson(bin: ConfidenceBin) {
  return { low: bin.low, high: bin.high, segments: bin.segments, seconds: round(bin.seconds), error: round(errorShare(bin)) };
}

/** Scores every item; with `bins`, also adds its segments to the confidence bins. */
async function evaluate(engine: DiarizationEngine, items: EvalItem[], settings: InternalDiarizeOptions, oracle: boolean, bins?: ConfidenceBin[]) {
  const scores: FileScore[] = [];
  let recipe = '';
  for (const item of items) {
    const speakersTrue = new Set(item.reference.map((s) => s.speaker)).size;
    const result = await engine.diarize(item.audio, { ...settings, numSpeakers: oracle ? speakersTrue : settings.numSpeakers });
    recipe = result.recipe;
    const der = computeDer(item.reference, result.segments, { uem: item.uem });
    if (bins) addToBins(bins, item.reference, result.segments, item.uem);
    scores.push({
      name: item.name,
      duration: result.duration,
      speakersFound: result.speakers.length,
      speakersTrue,
      core: item.core,
      seconds: result.timings.total,
      der: der.der,
      total: der.total,
      missed: der.missed,
      falseAlarm: der.falseAlarm,
      confusion: der.confusion,
      correct: der.correct,
    });
    process.stderr.write(`${item.name}: DER ${(100 * der.der).toFixed(1)} %\n`);
  }
  return { scores, recipe };
}

runMain('eval', main);
