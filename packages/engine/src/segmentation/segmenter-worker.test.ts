/**
 * SegmenterWorker.dispose() while a batch runs in the segmentation thread. Terminating the
 * thread then aborts the whole process (onnxruntime's binding throws a C++ Napi::Error when
 * run() returns into a terminating thread), so each case runs in a child process and the test
 * looks at how that process ended. Needs the built engine (npm test builds first).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findModel, loadManifest, type SegmentationModelEntry } from '@diarization/models';
import { testModelsDir } from '../../../../test/support/models';

const WORKER_MODULE = join(__dirname, '..', '..', 'dist', 'segmentation', 'segmenter-worker.js');

/** Loads the worker, sends a batch of 8 windows, disposes it `delayMs` later, reports what happened. */
const SCRIPT = `
const { SegmenterWorker } = require(process.env.WORKER_MODULE);
const { entry, path, delayMs } = JSON.parse(process.env.CASE);
(async () => {
  const worker = await SegmenterWorker.load(entry, path, { providers: ['cpu'], intraOpThreads: 1 });
  const windows = Array.from({ length: 8 }, (_, i) => new Float32Array(worker.windowSamples).fill(0.01 * i));
  const batch = worker.segment(windows).then((results) => 'segmented ' + results.length, (error) => 'refused: ' + error.message);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  const started = Date.now();
  await worker.dispose();
  await worker.dispose(); // a second call is harmless
  const after = await worker.segment(windows).then(() => 'segmented', (error) => 'refused: ' + error.message);
  console.log(JSON.stringify({ batch: await batch, after, disposeMs: Date.now() - started }));
})();
`;

describe('SegmenterWorker.dispose', () => {
  const entry = findModel(loadManifest(), 'segmentation-3.0') as SegmentationModelEntry;
  const path = join(testModelsDir(), entry.file);

  it.each([0, 5, 30, 100])('lets a batch in flight finish, then stops the thread without crashing (dispose after %i ms)', (delayMs) => {
    const child = spawnSync(process.execPath, ['-e', SCRIPT], {
      encoding: 'utf8',
      env: { ...process.env, WORKER_MODULE, CASE: JSON.stringify({ entry, path, delayMs }) },
      timeout: 60_000,
    });
    expect({ signal: child.signal, status: child.status, stderr: child.stderr }).toEqual({ signal: null, status: 0, stderr: '' });
    const report = JSON.parse(child.stdout.trim()) as { batch: string; after: string; disposeMs: number };
    expect(report.batch).toBe('segmented 8');
    expect(report.after).toBe('refused: the segmenter was disposed');
    expect(report.disposeMs).toBeLessThan(20_000);
  });
});
