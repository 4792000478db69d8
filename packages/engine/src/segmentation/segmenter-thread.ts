/**
 * Worker-thread side of SegmenterWorker: loads the segmentation model in this thread and
 * answers batches, so that segmentation runs while the main thread computes embeddings
 * (onnxruntime-node's run() holds the thread that calls it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SegmentationModelEntry } from '@diarization/models';
import type { SessionSettings } from '../onnx/session';
import { Segmenter } from './segmenter';

export interface SegmenterThreadInit {
  entry: SegmentationModelEntry;
  path: string;
  settings: Omit<SessionSettings, 'graphOptimizationLevel'>;
}

export type SegmenterThreadRequest = { id: number; windows: Float32Array; count: number } | { id: number; dispose: true };

export type SegmenterThreadReply =
  | { ready: true; framesPerChunk: number; notice?: string }
  | { ready: false; error: string }
  | { id: number; results: Uint8Array; seconds: number }
  | { id: number; error: string };

async function serve(): Promise<void> {
  const port = parentPort!;
  const init = workerData as SegmenterThreadInit;
  let segmenter: Segmenter;
  try {
    segmenter = await Segmenter.load(init.entry, init.path, init.settings);
  } catch (error) {
    port.postMessage({ ready: false, error: error instanceof Error ? error.message : String(error) } satisfies SegmenterThreadReply);
    return;
  }
  port.postMessage({ ready: true, framesPerChunk: segmenter.geometry.framesPerChunk, notice: segmenter.notice } satisfies SegmenterThreadReply);
  port.on('message', async (request: SegmenterThreadRequest) => {
    if ('dispose' in request) {
      await segmenter.dispose();
      port.close();
      return;
    }
    try {
      const started = performance.now();
      const size = segmenter.windowSamples;
      const windows = Array.from({ length: request.count }, (_, i) => request.windows.subarray(i * size, (i + 1) * size));
      const segmented = await segmenter.segment(windows);
      const each = segmented[0]?.length ?? 0;
      const results = new Uint8Array(each * segmented.length);
      segmented.forEach((s, i) => results.set(s, i * each));
      const reply: SegmenterThreadReply = { id: request.id, results, seconds: (performance.now() - started) / 1000 };
      port.postMessage(reply, [results.buffer]);
    } catch (error) {
      port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies SegmenterThreadReply);
    }
  });
}

void serve();
