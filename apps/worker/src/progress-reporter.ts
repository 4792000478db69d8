import type { Progress } from '@diarization/engine';

export interface ProgressSink {
  (stage: string, percent: number): Promise<unknown>;
}

/**
 * Forwards engine progress at most every `intervalMs` (or on a stage change), one write at a
 * time, so a fast engine never floods Redis.
 */
export function throttledProgress(sink: ProgressSink, intervalMs = 500): (progress: Progress) => void {
  let lastStage = '';
  let lastAt = 0;
  let writing = false;
  return ({ stage, fraction }) => {
    const now = Date.now();
    if (writing || (stage === lastStage && now - lastAt < intervalMs)) return;
    lastStage = stage;
    lastAt = now;
    writing = true;
    void sink(stage, fraction * 100)
      .catch(() => undefined)
      .finally(() => {
        writing = false;
      });
  };
}
