import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SegmentationModelEntry } from '@diarization/models';
import type { SessionSettings } from '../onnx/session';
import type { ChunkGeometry } from '../pipeline/geometry';
import { segmentationGeometry, windowStep, type SpeakerSegmenter } from './segmenter';
import type { SegmenterThreadInit, SegmenterThreadReply, SegmenterThreadRequest } from './segmenter-thread';

interface Pending {
  resolve(results: Uint8Array[]): void;
  reject(error: Error): void;
  count: number;
}

/**
 * How long dispose() waits for the thread to finish its batches and exit before terminating it.
 * A batch takes well under a second on a CPU core; this only guards against a hung thread.
 */
const DISPOSE_TIMEOUT_MS = 30_000;

/** The compiled thread script; under ts-jest this file runs from src, so look in dist. */
function threadScript(): string | undefined {
  const candidates = [
    join(__dirname, 'segmenter-thread.js'),
    join(__dirname, '..', '..', 'dist', 'segmentation', 'segmenter-thread.js'),
  ];
  return candidates.find((path) => existsSync(path));
}

/**
 * The segmentation model in a worker thread. onnxruntime-node's run() occupies the calling
 * thread, so in-thread segmentation and embedding take turns; here segmentation of the next
 * windows overlaps the embeddings of the previous ones.
 */
export class SegmenterWorker implements SpeakerSegmenter {
  readonly geometry: ChunkGeometry;
  readonly numLocalSpeakers: number;
  readonly windowSamples: number;
  readonly stepSamples: number;
  readonly sampleRate: number;
  busySeconds = 0;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private failure?: Error;
  private disposing?: Promise<void>;
  private readonly exited: Promise<void>;
  private hasExited = false;

  private constructor(
    private readonly worker: Worker,
    entry: SegmentationModelEntry,
    framesPerChunk: number,
    readonly notice?: string,
  ) {
    const spec = entry.interface;
    this.geometry = segmentationGeometry(entry, framesPerChunk);
    this.numLocalSpeakers = spec.localSpeakers;
    this.windowSamples = spec.windowSamples;
    this.stepSamples = windowStep(entry);
    this.sampleRate = spec.sampleRate;
    worker.on('message', (reply: SegmenterThreadReply) => this.receive(reply));
    worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) => {
      worker.on('exit', (code) => {
        this.hasExited = true;
        this.fail(new Error(`the segmentation thread exited (code ${code})`));
        resolve();
      });
    });
  }

  /** False when the thread script is not built (e.g. tests run from sources without a build). */
  static available(): boolean {
    return threadScript() !== undefined;
  }

  static async load(
    entry: SegmentationModelEntry,
    path: string,
    settings: Omit<SessionSettings, 'graphOptimizationLevel'>,
  ): Promise<SegmenterWorker> {
    const init: SegmenterThreadInit = { entry, path, settings };
    const script = threadScript();
    if (!script) throw new Error('segmenter-thread.js is not built: run npm run build');
    const worker = new Worker(script, { workerData: init });
    const ready = await new Promise<Extract<SegmenterThreadReply, { ready: boolean }>>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (!ready.ready) {
      await worker.terminate();
      throw new Error(ready.error);
    }
    worker.unref(); // an idle engine must not keep the process alive
    return new SegmenterWorker(worker, entry, ready.framesPerChunk, ready.notice);
  }

  segment(windows: readonly Float32Array[]): Promise<Uint8Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (windows.length === 0) return Promise.resolve([]);
    const batch = new Float32Array(windows.length * this.windowSamples);
    windows.forEach((w, i) => batch.set(w, i * this.windowSamples));
    const id = this.nextId++;
    const request: SegmenterThreadRequest = { id, windows: batch, count: windows.length };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, count: windows.length });
      this.worker.ref(); // keep the process alive while a batch is out
      this.worker.postMessage(request, [batch.buffer]);
    });
  }

  private receive(reply: SegmenterThreadReply): void {
    if (!('id' in reply) || 'disposed' in reply) return;
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0 && !this.disposing) this.worker.unref(); // once disposing, it stays referenced until it exits
    if ('error' in reply) {
      pending.reject(new Error(reply.error));
      return;
    }
    this.busySeconds += reply.seconds;
    const each = reply.results.length / pending.count;
    pending.resolve(Array.from({ length: pending.count }, (_, i) => reply.results.subarray(i * each, (i + 1) * each)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  /**
   * Stops the thread without pulling onnxruntime from under it. worker.terminate() while a
   * batch runs aborts the process (the binding throws a C++ Napi::Error when run() returns into
   * a terminating thread, and nothing catches it), and an analysis that fails (a truncated
   * file, an abort) usually leaves one batch in flight. So new batches are refused, the thread
   * is asked to finish the batches it has, release its session and exit, and only a thread that
   * has not done so after DISPOSE_TIMEOUT_MS is terminated.
   */
  dispose(): Promise<void> {
    this.disposing ??= this.shutDown();
    return this.disposing;
  }

  private async shutDown(): Promise<void> {
    this.failure ??= new Error('the segmenter was disposed');
    if (this.hasExited) return;
    this.worker.ref(); // the process must not exit (and end the thread) before the thread lets go of onnxruntime
    const request: SegmenterThreadRequest = { id: this.nextId++, dispose: true };
    this.worker.postMessage(request);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), DISPOSE_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) await this.worker.terminate(); // a hung thread: the last resort
  }
}
