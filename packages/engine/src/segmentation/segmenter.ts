import type * as ort from 'onnxruntime-node';
import type { SegmentationModelEntry } from '@diarization/models';
import { floatTensor, openSession, outputData, type SessionSettings } from '../onnx/session';
import type { ChunkGeometry } from '../pipeline/geometry';
import { powersetClasses, powersetToMultilabel } from './powerset';

/** What the pipeline needs from a segmentation model, wherever it runs. */
export interface SpeakerSegmenter {
  readonly geometry: ChunkGeometry;
  readonly numLocalSpeakers: number;
  readonly windowSamples: number;
  readonly stepSamples: number;
  readonly sampleRate: number;
  readonly notice?: string;
  /** Seconds spent running the model so far. */
  readonly busySeconds: number;
  /** One [frames * localSpeakers] 0/1 array per window. */
  segment(windows: readonly Float32Array[]): Promise<Uint8Array[]>;
  dispose(): Promise<void>;
}

/** pyannote slides the window by 10 % of its duration. */
export function windowStep(entry: SegmentationModelEntry): number {
  return Math.round(0.1 * entry.interface.windowSamples);
}

export function segmentationGeometry(entry: SegmentationModelEntry, framesPerChunk: number): ChunkGeometry {
  const spec = entry.interface;
  return {
    chunkDuration: spec.windowSamples / spec.sampleRate,
    chunkStep: windowStep(entry) / spec.sampleRate,
    frameDuration: spec.receptiveFieldSamples / spec.sampleRate,
    frameStep: spec.frameStepSamples / spec.sampleRate,
    framesPerChunk,
  };
}

/** Runs pyannote/segmentation-3.0 on 10 s windows and returns hard multilabel activity. */
export class Segmenter implements SpeakerSegmenter {
  readonly geometry: ChunkGeometry;
  readonly numLocalSpeakers: number;
  readonly windowSamples: number;
  readonly stepSamples: number;
  private readonly classes: number[][];
  busySeconds = 0;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly entry: SegmentationModelEntry,
    framesPerChunk: number,
    readonly notice?: string,
  ) {
    const spec = entry.interface;
    this.numLocalSpeakers = spec.localSpeakers;
    this.windowSamples = spec.windowSamples;
    this.stepSamples = windowStep(entry);
    this.classes = powersetClasses(spec.localSpeakers, spec.maxSpeakersPerFrame);
    this.geometry = segmentationGeometry(entry, framesPerChunk);
  }

  static async load(entry: SegmentationModelEntry, path: string, settings: Omit<SessionSettings, 'graphOptimizationLevel'>): Promise<Segmenter> {
    const spec = entry.interface;
    const loaded = await openSession(
      path,
      entry.id,
      { ...settings, graphOptimizationLevel: spec.graphOptimizationLevel },
      { inputs: [spec.input], outputs: [spec.output] },
    );
    // The number of frames per window is a property of the network; ask it once.
    const probe = await loaded.session.run({ [spec.input]: floatTensor(new Float32Array(spec.windowSamples), [1, 1, spec.windowSamples]) });
    const { dims } = outputData(probe, spec.output);
    const expectedClasses = powersetClasses(spec.localSpeakers, spec.maxSpeakersPerFrame).length;
    if (dims.length !== 3 || dims[2] !== expectedClasses) {
      await loaded.session.release();
      throw new Error(`segmentation model ${entry.id} returned shape [${dims.join(', ')}], expected [1, frames, ${expectedClasses}]`);
    }
    return new Segmenter(loaded.session, entry, dims[1], loaded.notice);
  }

  get sampleRate(): number {
    return this.entry.interface.sampleRate;
  }

  /** Segments a batch of windows; returns one [frames * localSpeakers] 0/1 array per window. */
  async segment(windows: readonly Float32Array[]): Promise<Uint8Array[]> {
    if (windows.length === 0) return [];
    const started = performance.now();
    const spec = this.entry.interface;
    const batch = new Float32Array(windows.length * this.windowSamples);
    windows.forEach((w, i) => batch.set(w, i * this.windowSamples));
    const outputs = await this.session.run({ [spec.input]: floatTensor(batch, [windows.length, 1, this.windowSamples]) });
    const { data } = outputData(outputs, spec.output);
    const frames = this.geometry.framesPerChunk;
    const perWindow = frames * this.classes.length;
    const results = windows.map((_, i) =>
      powersetToMultilabel(data.subarray(i * perWindow, (i + 1) * perWindow), frames, this.classes, this.numLocalSpeakers),
    );
    this.busySeconds += (performance.now() - started) / 1000;
    return results;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
