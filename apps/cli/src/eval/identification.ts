import {
  decodeAudioFile,
  identifySpeakers,
  isDiarizationError,
  SAMPLE_RATE,
  VOICE_CLIP_MAX_SECONDS,
  type DiarizationEngine,
  type InternalDiarizeOptions,
  type VoiceprintRef,
} from '@diarization/engine';
import { computeDer, type TimeRange } from '@diarization/evaluation';
import type { EvalItem } from './dataset';
import { shiftedReference, soloSpeech } from './solo-speech';
import { wavStream } from './wav';

/** Cosine thresholds the sweep tries. */
export const THRESHOLD_SWEEP = [0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.925, 0.95, 0.975, 0.99];

/** One hypothesis speaker of a test half: its centroid and the reference speaker it maps to (or null). */
interface TestSpeaker {
  speaker: string;
  embedding?: number[];
  truth: string | null;
}

/** A file's enrolled voiceprints (reference speaker → voiceprint) and its test half's speakers. */
export interface IdentificationTrial {
  name: string;
  voiceprints: Map<string, VoiceprintRef>;
  /** Reference speakers that could not be enrolled (too little solo speech in the first half). */
  notEnrolled: string[];
  speakers: TestSpeaker[];
}

/** Counts at one threshold. */
export interface ThresholdScore {
  threshold: number;
  /** All reference speakers enrolled: test speakers that map to an enrolled speaker. */
  targets: number;
  correct: number;
  /** Given another enrolled person's identity. */
  wrong: number;
  /** Left unknown. */
  missed: number;
  /** One speaker left out of enrollment at a time: test speakers that map to the left-out one. */
  impostors: number;
  /** Impostors given an identity. */
  falseAccepts: number;
}

/**
 * Two trials per multi-speaker file: enroll every reference speaker from up to 30 s of its solo
 * speech in one half (cut from the decoded samples), diarize the other half with speaker
 * embeddings, and map each hypothesis speaker to a reference speaker (computeDer's optimal
 * mapping); then the same with the halves swapped.
 */
export async function prepareTrials(engine: DiarizationEngine, item: EvalItem, settings: InternalDiarizeOptions): Promise<IdentificationTrial[]> {
  const speakers = [...new Set(item.reference.map((s) => s.speaker))].sort();
  if (speakers.length < 2) return [];
  const samples = await decodeAudioFile(item.audio, { sampleRate: SAMPLE_RATE });
  const duration = samples.length / SAMPLE_RATE;
  const first = { start: 0, end: duration / 2 };
  const second = { start: duration / 2, end: duration };
  return [
    await prepareTrial(engine, { item, samples, speakers, settings }, { name: `${item.name} (enroll 1st half)`, enroll: first, test: second }),
    await prepareTrial(engine, { item, samples, speakers, settings }, { name: `${item.name} (enroll 2nd half)`, enroll: second, test: first }),
  ];
}

interface TrialSource {
  item: EvalItem;
  samples: Float32Array;
  speakers: string[];
  settings: InternalDiarizeOptions;
}

async function prepareTrial(
  engine: DiarizationEngine,
  { item, samples, speakers, settings }: TrialSource,
  split: { name: string; enroll: TimeRange; test: TimeRange },
): Promise<IdentificationTrial> {
  const voiceprints = new Map<string, VoiceprintRef>();
  const notEnrolled: string[] = [];
  for (const speaker of speakers) {
    const solo = soloSpeech(item.reference, speaker, split.enroll, VOICE_CLIP_MAX_SECONDS - 0.1);
    const clip = concatRanges(samples, solo);
    try {
      if (clip.length < 0.2 * SAMPLE_RATE) throw new Error('no solo speech');
      const voice = await engine.embedVoice(wavStream(clip, SAMPLE_RATE));
      voiceprints.set(speaker, { id: `${item.name}:${speaker}`, label: speaker, model: voice.model, embedding: voice.embedding });
    } catch (error) {
      if (!(error instanceof Error && (!isDiarizationError(error) || ['NOT_ENOUGH_SPEECH', 'AUDIO_TOO_SHORT'].includes(error.code)))) throw error;
      if (process.env.DEBUG) process.stderr.write(`${split.name} ${speaker}: ${clip.length / SAMPLE_RATE} s of solo speech: ${error instanceof Error ? error.message : error}\n`);
      notEnrolled.push(speaker);
    }
  }
  const window = split.test;
  const audio = samples.subarray(Math.round(window.start * SAMPLE_RATE), Math.round(window.end * SAMPLE_RATE));
  const result = await engine.diarize(wavStream(audio, SAMPLE_RATE), { ...settings, numSpeakers: undefined, returnEmbeddings: true });
  const uem = item.uem
    ?.map((r) => ({ start: Math.max(r.start, window.start) - window.start, end: Math.min(r.end, window.end) - window.start }))
    .filter((r) => r.end > r.start);
  const { mapping } = computeDer(shiftedReference(item.reference, window), result.segments, { uem });
  const vectors = new Map(result.speakerEmbeddings?.vectors.map((v) => [v.speaker, v.embedding]));
  return {
    name: split.name,
    voiceprints,
    notEnrolled,
    speakers: result.speakers.map(({ speaker }) => ({ speaker, embedding: vectors.get(speaker), truth: mapping[speaker] ?? null })),
  };
}

function concatRanges(samples: Float32Array, ranges: readonly TimeRange[]): Float32Array {
  const parts = ranges.map((r) => samples.subarray(Math.round(r.start * SAMPLE_RATE), Math.round(r.end * SAMPLE_RATE)));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Scores the trials at one threshold, with every speaker enrolled, then with each one left out. */
export function scoreTrials(trials: readonly IdentificationTrial[], threshold: number): ThresholdScore {
  const score: ThresholdScore = { threshold, targets: 0, correct: 0, wrong: 0, missed: 0, impostors: 0, falseAccepts: 0 };
  for (const trial of trials) {
    const all = [...trial.voiceprints.values()];
    const identified = identifySpeakers({ speakers: trial.speakers, voiceprints: all, threshold });
    trial.speakers.forEach(({ truth }, i) => {
      if (truth === null || !trial.voiceprints.has(truth)) return;
      const label = identified[i].voiceprint?.label ?? null;
      score.targets++;
      if (label === truth) score.correct++;
      else if (label === null) score.missed++;
      else score.wrong++;
    });
    for (const leftOut of trial.voiceprints.keys()) {
      const enrolled = all.filter((v) => v.label !== leftOut);
      const answers = identifySpeakers({ speakers: trial.speakers, voiceprints: enrolled, threshold });
      trial.speakers.forEach(({ truth }, i) => {
        if (truth !== leftOut) return;
        score.impostors++;
        if (answers[i].voiceprint !== null) score.falseAccepts++;
      });
    }
  }
  return score;
}

/** Right answers (target named, impostor rejected) over all decisions: what the default threshold maximises. */
export function balancedAccuracy(s: ThresholdScore): number {
  const targetRate = s.targets > 0 ? s.correct / s.targets : 0;
  const rejectRate = s.impostors > 0 ? 1 - s.falseAccepts / s.impostors : 0;
  return (targetRate + rejectRate) / 2;
}

const pct = (n: number, d: number) => (d > 0 ? `${((100 * n) / d).toFixed(1)}` : '-').padStart(8);

export function formatSweep(scores: readonly ThresholdScore[]): string {
  const header = `${'threshold'.padEnd(10)}${'targets'.padStart(8)}${'ident%'.padStart(8)}${'wrong%'.padStart(8)}${'unknown%'.padStart(9)}${'impostors'.padStart(10)}${'FA%'.padStart(8)}${'balanced%'.padStart(10)}`;
  const lines = scores.map(
    (s) =>
      `${s.threshold.toFixed(3).padEnd(10)}${String(s.targets).padStart(8)}${pct(s.correct, s.targets)}${pct(s.wrong, s.targets)}${pct(s.missed, s.targets).padStart(9)}` +
      `${String(s.impostors).padStart(10)}${pct(s.falseAccepts, s.impostors)}${(100 * balancedAccuracy(s)).toFixed(1).padStart(10)}`,
  );
  return [header, '-'.repeat(header.length), ...lines].join('\n') + '\n';
}

/** npm run eval -- --identify: the sweep table, the best threshold, one JSON line. */
export async function measureIdentification(
  engine: DiarizationEngine,
  items: readonly EvalItem[],
  settings: InternalDiarizeOptions,
  write: (text: string) => void,
): Promise<void> {
  const trials: IdentificationTrial[] = [];
  for (const item of items) trials.push(...(await prepareTrials(engine, item, settings)));
  for (const trial of trials) {
    process.stderr.write(
      `${trial.name}: enrolled ${trial.voiceprints.size}/${trial.voiceprints.size + trial.notEnrolled.length}, ` +
        `test half: ${trial.speakers.length} speaker(s) -> ${trial.speakers.map((s) => s.truth ?? '?').join(', ')}\n`,
    );
  }
  const scores = THRESHOLD_SWEEP.map((t) => scoreTrials(trials, t));
  const best = scores.reduce((a, b) => (balancedAccuracy(b) > balancedAccuracy(a) ? b : a));
  const model = engine.description.embeddingModel;
  const enrolled = trials.reduce((n, t) => n + t.voiceprints.size, 0);
  const speakers = enrolled + trials.reduce((n, t) => n + t.notEnrolled.length, 0);
  write(`identification with ${model}: ${trials.length} trials (2 per multi-speaker file), ${enrolled}/${speakers} reference speakers enrolled from the other half\n`);
  write(formatSweep(scores));
  write(`best threshold ${best.threshold} (balanced accuracy ${(100 * balancedAccuracy(best)).toFixed(1)} %)\n`);
  write(`${JSON.stringify({ model, trials: trials.length, enrolled, speakers, best_threshold: best.threshold, sweep: scores })}\n`);
}
