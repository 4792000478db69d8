/**
 * Worker-thread side of SegmenterWorker: loads the segmentation model in this thread and
 * answers batches, so that segmentation runs while the main thread computes embeddings
 * (onnxruntime-node's run() holds the thread that calls it).
 *
 * Requests are handled one at a time, in order. A dispose request therefore waits for the
 * batches sent before it, releases the session and closes the port, after which the thread
 * ends by itself. The owner must not terminate this thread while a batch runs: onnxruntime's
 * native run() cannot be interrupted, and when it returns into a terminating thread the
 * binding throws a C++ Napi::Error that nothing catches, which aborts the whole process.
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
  | { id: number; error: string }
  | { id: number; disposed: true };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function serve(): Promise<void> {
  const port = parentPort!;
  const init = workerData as SegmenterThreadInit;
  let segmenter: Segmenter;
  try {
    segmenter = await Segmenter.load(init.entry, init.path, init.settings);
  } catch (error) {
    port.postMessage({ ready: false, error: message(error) } satisfies SegmenterThreadReply);
    return;
  }
  port.postMessage({ ready: true, framesPerChunk: segmenter.geometry.framesPerChunk, notice: segmenter.notice } satisfies SegmenterThreadReply);

  let disposed = false;
  const handle = async (request: SegmenterThreadRequest): Promise<void> => {
    if ('dispose' in request) {
      if (!disposed) {
        disposed = true;
        await segmenter.dispose().catch(() => undefined); // the thread ends anyway
      }
      port.postMessage({ id: request.id, disposed: true } satisfies SegmenterThreadReply);
      port.close(); // nothing else keeps this thread alive: it exits
      return;
    }
    if (disposed) {
      port.postMessage({ id: request.id, error: 'the segmenter was disposed' } satisfies SegmenterThreadReply);
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
      port.postMessage({ id: request.id, error: message(error) } satisfies SegmenterThreadReply);
    }
  };
  // One request at a time: a run never overlaps another run or the release of the session.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: SegmenterThreadRequest) => {
    queue = queue.then(() => handle(request)).catch(() => undefined); // handle() reports its own failures
  });
}

void serve();
