#!/usr/bin/env node
/**
 * npm run eval -- [DIR] [--embedding ID] [--recipe R] [--num-speakers N | --oracle-speakers] [--only A,B]
 * Diarizes every recording of DIR (default ../shared/eval), scores DER (no collar, overlap scored,
 * UEM honoured, optimal mapping), prints a table and, last, one JSON line.
 */
import { resolve } from 'node:path';
import { DiarizationEngine, RECIPES } from '@diarization/engine';
import { aggregateDer, computeDer } from '@diarization/evaluation';
import { oneOf, parseCommandLine, positiveInteger } from './arguments';
import { DEFAULT_EVAL_DIR, loadDataset } from './eval/dataset';
import { formatTable, type FileScore } from './eval/report';
import { runMain, UsageError } from './run-main';


async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine({
    embedding: { type: 'string' },
    recipe: { type: 'string' },
    'num-speakers': { type: 'string' },
    'oracle-speakers': { type: 'boolean', default: false },
    only: { type: 'string' },
    threshold: { type: 'string' },
    'models-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run eval -- [DIR] [--embedding ID] [--recipe 3.1|community-1] [--num-speakers N | --oracle-speakers] [--only NAME,NAME] [--threshold T]\n',
    );
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('expected at most one folder');
  const dir = resolve(positionals[0] ?? DEFAULT_EVAL_DIR);
  const only = values.only?.split(',').map((s) => s.trim());
  const items = loadDataset(dir).filter((item) => !only || only.includes(item.name));
  if (items.length === 0) throw new UsageError(`--only ${values.only} matches no recording in ${dir}`);
  const numSpeakers = positiveInteger(values['num-speakers'], '--num-speakers');
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold > 0)) throw new UsageError(`--threshold must be a positive number`);

  const engine = await DiarizationEngine.load({ modelsDir: values['models-dir'], embedding: values.embedding });
  const scores: FileScore[] = [];
  let recipe = '';
  try {
    for (const item of items) {
      const speakersTrue = new Set(item.reference.map((s) => s.speaker)).size;
      const result = await engine.diarize(item.audio, {
        recipe: oneOf(values.recipe, RECIPES, '--recipe'),
        numSpeakers: values['oracle-speakers'] ? speakersTrue : numSpeakers,
        agglomerative: threshold === undefined ? undefined : { threshold },
      });
      recipe = result.recipe;
      const der = computeDer(item.reference, result.segments, { uem: item.uem });
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
  } finally {
    await engine.dispose();
  }
  const total = aggregateDer(scores);
  const core = scores.some((s) => s.core) ? aggregateDer(scores.filter((s) => s.core)) : undefined;
  const totals = { 'total (time-weighted)': total, ...(core ? { 'core set': core } : {}) };
  const description = engine.description;
  process.stdout.write(
    `eval of ${dir}: segmentation ${description.segmentation.id}, embedding ${values.embedding ?? description.embedding.id}, recipe ${recipe}\n`,
  );
  process.stdout.write(formatTable(scores, totals));
  process.stdout.write('(* = not in the core set)\n');
  const round = (v: number) => Math.round(v * 10000) / 10000;
  process.stdout.write(
    `${JSON.stringify({
      dir,
      embedding: values.embedding ?? description.embedding.id,
      recipe,
      files: scores.map((s) => ({ name: s.name, der: round(s.der), speakers_found: s.speakersFound, speakers_true: s.speakersTrue })),
      der: round(total.der),
      core_der: core ? round(core.der) : null,
    })}\n`,
  );
  return 0;
}

runMain('eval', main);
