import type { ServiceConfig } from '@diarization/config';
import { DiarizationEngine, type EngineConfig } from '@diarization/engine';

export function engineConfig(config: ServiceConfig): EngineConfig {
  return {
    modelsDir: config.modelsDir,
    ffmpegPath: config.ffmpegPath,
    // CUDA first, CPU for the operators CUDA lacks.
    executionProviders: config.worker.executionProvider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    intraOpThreads: config.worker.intraOpThreads,
    maxDurationSeconds: config.worker.maxAudioSeconds,
  };
}

let cached: Promise<DiarizationEngine> | undefined;

/** The engine of this process, loaded on first use and reused for every later job. */
export function sharedEngine(config: ServiceConfig): Promise<DiarizationEngine> {
  if (cached === undefined) {
    cached = DiarizationEngine.load(engineConfig(config));
    // A failed load (models still being installed) is retried by the next job.
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}
