#!/usr/bin/env node
/**
 * npm run bench -- [FILE] [--seconds 300] [--repeat N] [--threads N]
 * Times this engine (exact default, frame selection, fast preset) and sherpa-onnx-node on the
 * same audio with the same segmentation and embedding files (the ResNet34-size WeSpeaker
 * architecture), each run in its own process so that peak memory is its own. Without FILE it
 * builds two recordings from ../shared/eval (mixed and dense speech). Last line: one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { checkModel, describeProblem, findModel, loadManifest } from '@diarization/models';
import { decodeAudioFile, SAMPLE_RATE } from '@diarization/engine';
import { parseCommandLine, positiveInteger } from './arguments';
import { cliEngineSettings } from './engine-settings';
import { BENCH_RECORDINGS, BenchAudio } from './bench/bench-audio';
import { OUR_CONFIGURATIONS, runOurs, runSherpa, type BenchSetup, type RunMeasurement } from './bench/contenders';
import { DEFAULT_EVAL_DIR } from './eval/dataset';
import { runMain, UsageError } from './run-main';

/** sherpa-onnx reads its model settings from metadata that only these files carry. */
const SEGMENTATION_ID = 'segmentation-3.0-sherpa-int8';
const EMBEDDING_ID = 'wespeaker-resnet34-random';
const SHERPA = 'sherpa';

interface FileResult {
  name: string;
  file: string;
  audioSeconds: number;
  sherpa: RunMeasurement;
  ours: Array<{ configuration: string; run: RunMeasurement }>;
}

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
  const { modelsDir, ffmpegPath } = cliEngineSettings(values);
  const threads = positiveInteger(values.threads, '--threads') ?? Math.min(availableParallelism(), 16);
  const models = await benchModels(modelsDir);
  if (values.child) {
    const setup: BenchSetup = { file: resolve(positionals[0]), modelsDir, ffmpegPath, threads, ...models };
    const configuration = OUR_CONFIGURATIONS.find((c) => c.name === values.child);
    const measurement = values.child === SHERPA ? await runSherpa(setup) : await runOurs(setup, configuration!);
    process.stdout.write(`${JSON.stringify(measurement)}\n`);
    return 0;
  }

  const seconds = positiveInteger(values.seconds, '--seconds')!;
  const repeat = positiveInteger(values.repeat, '--repeat')!;
  const audio = positionals[0] ? undefined : new BenchAudio(DEFAULT_EVAL_DIR, ffmpegPath);
  try {
    const files = positionals[0]
      ? [{ name: basename(positionals[0]), file: resolve(positionals[0]) }]
      : BENCH_RECORDINGS.map((recording) => ({ name: recording.name, file: audio!.build(recording, seconds) }));
    const results: FileResult[] = [];
    for (const { name, file } of files) {
      const setup: BenchSetup = { file, modelsDir, ffmpegPath, threads, ...models };
      results.push(await benchFile(name, setup, repeat));
    }
    process.stdout.write(`${report(results, threads, repeat).join('\n')}\n`);
    process.stdout.write(`${JSON.stringify(summary(results, threads, repeat))}\n`);
  } finally {
    audio?.remove();
  }
  return 0;
}

async function benchFile(name: string, setup: BenchSetup, repeat: number): Promise<FileResult> {
  const audioSeconds = (await decodeAudioFile(setup.file, { ffmpegPath: setup.ffmpegPath })).length / SAMPLE_RATE;
  const runs = new Map<string, RunMeasurement[]>();
  for (let i = 0; i < repeat; i++) {
    // interleaved, so that drifts in machine load hit every contender alike
    for (const contender of [SHERPA, ...OUR_CONFIGURATIONS.map((c) => c.name)]) {
      runs.set(contender, [...(runs.get(contender) ?? []), runChild(contender, setup)]);
    }
  }
  const best = (contender: string) => runs.get(contender)!.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return {
    name,
    file: setup.file,
    audioSeconds,
    sherpa: best(SHERPA),
    ours: OUR_CONFIGURATIONS.map((c) => ({ configuration: c.name, run: best(c.name) })),
  };
}

function report(results: FileResult[], threads: number, repeat: number): string[] {
  const lines = [
    `bench: ${threads} threads, best of ${repeat}; models: segmentation ${SEGMENTATION_ID}, embedding ${EMBEDDING_ID} (ResNet34 architecture, random weights), the same files for every contender`,
    ...OUR_CONFIGURATIONS.map((c) => `  ${c.name}: ${c.description}`),
  ];
  const row = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(18) : cell.padStart(11))).join('');
  for (const result of results) {
    const rtf = (seconds: number) => (seconds / result.audioSeconds).toFixed(4);
    lines.push('', `${result.name}: ${result.file} (${result.audioSeconds.toFixed(1)} s of audio)`);
    lines.push(row(['contender', 'seconds', 'RTF', 'speed vs', 'peak MiB', 'memory vs']));
    lines.push(row(['sherpa-onnx-node', result.sherpa.seconds.toFixed(2), rtf(result.sherpa.seconds), '1.00', String(result.sherpa.peakRssMiB), '1.00']));
    for (const { configuration, run } of result.ours) {
      lines.push(
        row([
          configuration,
          run.seconds.toFixed(2),
          rtf(run.seconds),
          (result.sherpa.seconds / run.seconds).toFixed(2),
          String(run.peakRssMiB),
          (run.peakRssMiB / result.sherpa.peakRssMiB).toFixed(2),
        ]),
      );
    }
    const stages = result.ours[0].run.stages;
    if (stages) {
      lines.push(
        `  ${result.ours[0].configuration} by stage (s): ${Object.entries(stages)
          .map(([stage, s]) => `${stage} ${s.toFixed(2)}`)
          .join(', ')}`,
      );
    }
  }
  lines.push('', 'speed vs: sherpa time / our time (higher is faster); memory vs: our peak / sherpa peak (lower is smaller)');
  return lines;
}

function summary(results: FileResult[], threads: number, repeat: number) {
  return {
    threads,
    repeat,
    files: results.map((r) => ({
      name: r.name,
      file: r.file,
      audio_seconds: r.audioSeconds,
      sherpa: { seconds: r.sherpa.seconds, rtf: r.sherpa.seconds / r.audioSeconds, peak_rss_mib: r.sherpa.peakRssMiB },
      ours: Object.fromEntries(
        r.ours.map(({ configuration, run }) => [
          configuration,
          {
            seconds: run.seconds,
            rtf: run.seconds / r.audioSeconds,
            stages: run.stages,
            peak_rss_mib: run.peakRssMiB,
            speed_ratio: r.sherpa.seconds / run.seconds,
            memory_ratio: run.peakRssMiB / r.sherpa.peakRssMiB,
          },
        ]),
      ),
    })),
  };
}

async function benchModels(modelsDir: string): Promise<Omit<BenchSetup, 'file' | 'modelsDir' | 'threads'>> {
  const manifest = loadManifest();
  const paths: string[] = [];
  for (const id of [SEGMENTATION_ID, EMBEDDING_ID]) {
    const status = await checkModel(findModel(manifest, id)!, modelsDir);
    if (status.state !== 'installed') throw new UsageError(describeProblem(status));
    paths.push(status.path);
  }
  return { segmentationId: SEGMENTATION_ID, segmentationPath: paths[0], embeddingId: EMBEDDING_ID, embeddingPath: paths[1] };
}

function runChild(contender: string, setup: BenchSetup): RunMeasurement {
  const args = [join(__dirname, 'bench.js'), setup.file, '--child', contender, '--threads', String(setup.threads), '--models-dir', setup.modelsDir!];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) {
    throw new Error(`${contender} run failed: ${(child.stderr || child.stdout).trim().split('\n').pop()}`);
  }
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as RunMeasurement;
}

runMain('bench', main);
