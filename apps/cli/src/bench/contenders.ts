import { DiarizationEngine, decodeAudioFile, type EmbeddingMethod, type Preset, type StageTimings } from '@diarization/engine';

/** One way of running this engine that the benchmark compares with sherpa-onnx-node. */
export interface OurConfiguration {
  name: string;
  embeddingMethod: EmbeddingMethod;
  preset: Preset;
  description: string;
}

export const OUR_CONFIGURATIONS: readonly OurConfiguration[] = [
  { name: 'exact', embeddingMethod: 'weighted-pooling', preset: 'default', description: "pyannote 3.1 / community-1's embeddings and window step (the default)" },
  { name: 'frame-selection', embeddingMethod: 'frame-selection', preset: 'default', description: "pyannote 3.0's (and sherpa-onnx's) embeddings" },
  { name: 'fast', embeddingMethod: 'weighted-pooling', preset: 'fast', description: 'the fast preset (exact embeddings, windows every 3 s)' },
];

export interface BenchSetup {
  file: string;
  modelsDir?: string;
  ffmpegPath?: string;
  segmentationId: string;
  segmentationPath: string;
  embeddingId: string;
  embeddingPath: string;
  threads: number;
}

export interface RunMeasurement {
  /** Wall seconds from the audio file to speaker segments (models already loaded). */
  seconds: number;
  stages?: StageTimings;
  speakers: number;
  segments: number;
  /** Peak resident memory of the process that ran it, in MiB. */
  peakRssMiB: number;
}

export async function runOurs(setup: BenchSetup, configuration: OurConfiguration): Promise<RunMeasurement> {
  const engine = await DiarizationEngine.load({
    modelsDir: setup.modelsDir,
    ffmpegPath: setup.ffmpegPath,
    segmentation: setup.segmentationId,
    embedding: setup.embeddingId,
    intraOpThreads: setup.threads,
    embeddingMethod: configuration.embeddingMethod,
  });
  try {
    const started = performance.now();
    const result = await engine.diarize(setup.file, { preset: configuration.preset });
    const seconds = (performance.now() - started) / 1000;
    return { seconds, stages: result.timings, speakers: result.speakers.length, segments: result.segments.length, peakRssMiB: peakRss() };
  } finally {
    await engine.dispose();
  }
}

interface SherpaSegment {
  start: number;
  end: number;
  speaker: number;
}

interface SherpaModule {
  OfflineSpeakerDiarization: new (config: object) => { process(samples: Float32Array): SherpaSegment[] };
}

/** sherpa-onnx-node's pyannote pipeline on the same files; it needs the samples in memory, decoded by the same decoder. */
export async function runSherpa(setup: BenchSetup): Promise<RunMeasurement> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sherpa = require('sherpa-onnx-node') as SherpaModule;
  const diarizer = new sherpa.OfflineSpeakerDiarization({
    segmentation: { pyannote: { model: setup.segmentationPath }, numThreads: setup.threads },
    embedding: { model: setup.embeddingPath, numThreads: setup.threads },
    clustering: { numClusters: -1, threshold: 0.5 },
    minDurationOn: 0,
    minDurationOff: 0,
  });
  const started = performance.now();
  const samples = await decodeAudioFile(setup.file, { ffmpegPath: setup.ffmpegPath });
  const segments = diarizer.process(samples);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, speakers: new Set(segments.map((s) => s.speaker)).size, segments: segments.length, peakRssMiB: peakRss() };
}

function peakRss(): number {
  // resourceUsage().maxRSS is in KiB
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
