#!/usr/bin/env node
/**
 * npm run bench -- [FILE] [--seconds 300] [--repeat N]
 * Times this engine and sherpa-onnx-node on the same audio with the same segmentation and
 * embedding files (the ResNet34-size WeSpeaker architecture), each in its own process so that
 * peak memory is its own. Last line: one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { checkModel, defaultModelsDir, describeProblem, findModel, loadManifest } from '@diarization/models';
import { decodeAudioFile } from '@diarization/engine';
import { parseCommandLine, positiveInteger } from './arguments';
import { makeBenchAudio } from './bench/bench-audio';
import { runOurs, runSherpa, type BenchSetup, type RunMeasurement } from './bench/contenders';
import { DEFAULT_EVAL_DIR } from './eval/dataset';
import { runMain, UsageError } from './run-main';

/** sherpa-onnx reads its model settings from metadata that only these files carry. */
const SEGMENTATION_ID = 'segmentation-3.0-sherpa-int8';
const EMBEDDING_ID = 'wespeaker-resnet34-random';
const CHILD_FLAG = '--child';

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine({
    seconds: { type: 'string', default: '300' },
    repeat: { type: 'string', default: '1' },
    threads: { type: 'string' },
    'models-dir': { type: 'string' },
    child: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write('usage: npm run bench -- [FILE] [--seconds 300] [--repeat N] [--threads N]\n');
    return 0;
  }
  const modelsDir = values['models-dir'] ?? defaultModelsDir();
  const setup = await benchSetup(
    positionals[0] ? resolve(positionals[0]) : undefined,
    modelsDir,
    positiveInteger(values.threads, '--threads') ?? Math.min(availableParallelism(), 16),
    positiveInteger(values.seconds, '--seconds')!,
  );
  if (values.child) {
    const measurement = values.child === 'sherpa' ? await runSherpa(setup) : await runOurs(setup);
    process.stdout.write(`${JSON.stringify(measurement)}\n`);
    return 0;
  }

  const duration = (await decodeAudioFile(setup.file)).length / 16000;
  const repeat = positiveInteger(values.repeat, '--repeat')!;
  const ours: RunMeasurement[] = [];
  const sherpa: RunMeasurement[] = [];
  for (let i = 0; i < repeat; i++) {
    // alternate so that machine load drifts hit both alike
    ours.push(runChild('ours', setup));
    sherpa.push(runChild('sherpa', setup));
  }
  const best = (runs: RunMeasurement[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const o = best(ours);
  const s = best(sherpa);
  const rtf = (seconds: number) => (seconds / duration).toFixed(4);
  const lines = [
    `bench: ${setup.file} (${duration.toFixed(1)} s of audio), ${setup.threads} threads, best of ${repeat}`,
    `models: segmentation ${SEGMENTATION_ID}, embedding ${EMBEDDING_ID} (ResNet34 architecture, random weights), same files for both`,
    '',
    `${'stage (this engine)'.padEnd(22)}${'seconds'.padStart(9)}${'RTF'.padStart(9)}`,
    ...Object.entries(o.stages ?? {})
      .filter(([stage]) => stage !== 'total')
      .map(([stage, seconds]) => `${stage.padEnd(22)}${seconds.toFixed(2).padStart(9)}${rtf(seconds).padStart(9)}`),
    `${'total'.padEnd(22)}${o.seconds.toFixed(2).padStart(9)}${rtf(o.seconds).padStart(9)}`,
    `${'sherpa-onnx-node total'.padEnd(22)}${s.seconds.toFixed(2).padStart(9)}${rtf(s.seconds).padStart(9)}`,
    '',
    `speed ratio (sherpa time / our time): ${(s.seconds / o.seconds).toFixed(2)}`,
    `peak memory: this engine ${o.peakRssMiB} MiB, sherpa-onnx-node ${s.peakRssMiB} MiB (ratio ${(o.peakRssMiB / s.peakRssMiB).toFixed(2)})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({
      file: setup.file,
      audio_seconds: duration,
      threads: setup.threads,
      ours: { seconds: o.seconds, rtf: o.seconds / duration, stages: o.stages, peak_rss_mib: o.peakRssMiB },
      sherpa: { seconds: s.seconds, rtf: s.seconds / duration, peak_rss_mib: s.peakRssMiB },
      speed_ratio: s.seconds / o.seconds,
    })}\n`,
  );
  return 0;
}

async function benchSetup(file: string | undefined, modelsDir: string, threads: number, seconds: number): Promise<BenchSetup> {
  const manifest = loadManifest();
  const paths: string[] = [];
  for (const id of [SEGMENTATION_ID, EMBEDDING_ID]) {
    const status = await checkModel(findModel(manifest, id)!, modelsDir);
    if (status.state !== 'installed') throw new UsageError(describeProblem(status));
    paths.push(status.path);
  }
  return {
    file: file ?? makeBenchAudio(DEFAULT_EVAL_DIR, seconds),
    modelsDir,
    segmentationId: SEGMENTATION_ID,
    segmentationPath: paths[0],
    embeddingId: EMBEDDING_ID,
    embeddingPath: paths[1],
    threads,
  };
}

function runChild(contender: 'ours' | 'sherpa', setup: BenchSetup): RunMeasurement {
  const args = [join(__dirname, 'bench.js'), setup.file, CHILD_FLAG, contender, '--threads', String(setup.threads), '--models-dir', setup.modelsDir!];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) {
    throw new Error(`${contender} run failed: ${(child.stderr || child.stdout).trim().split('\n').pop()}`);
  }
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as RunMeasurement;
}

runMain('bench', main);
