import { join } from 'node:path';
import { DiarizationEngine } from '@diarization/engine';
import { SHARED_EVAL } from '../../../../test/shared-paths';
import { testModelsDir } from '../../../../test/support/models';
import { addToBins, binIndex, emptyBins, errorShare, formatConfidenceBins } from './confidence-bins';
import { loadDataset } from './dataset';

describe('confidence bins', () => {
  it('splits each segment into correct, confusion and false alarm under the file-wide optimal mapping', () => {
    const reference = [
      { speaker: 'ref-a', start: 0, end: 10 },
      { speaker: 'ref-b', start: 10, end: 20 },
    ];
    const hypothesis = [
      { speaker: 'h1', start: 0, end: 10, confidence: 0.95 }, // all correct (h1 -> ref-a)
      { speaker: 'h2', start: 10, end: 18, confidence: 0.6 }, // correct (h2 -> ref-b)
      { speaker: 'h1', start: 18, end: 22, confidence: 0.1 }, // 2 s of ref-b (confusion), 2 s of nobody (false alarm)
    ];
    const bins = emptyBins([0, 0.5, 0.9]);
    addToBins(bins, reference, hypothesis);
    expect(bins.map((b) => [b.segments, b.seconds, b.falseAlarm, b.confusion])).toEqual([
      [1, 4, 2, 2],
      [1, 8, 0, 0],
      [1, 10, 0, 0],
    ]);
    expect(errorShare(bins[0])).toBe(1);
    expect(formatConfidenceBins(bins).split('\n')[2]).toMatch(/^0\.00-0\.50 +1 +4\.0 +18\.2 +50\.0 +50\.0 +100\.0$/);
  });

  it('counts only the time inside the UEM and puts a confidence of 1 in the last bin', () => {
    const bins = emptyBins([0, 0.5]);
    addToBins(bins, [{ speaker: 'a', start: 0, end: 4 }], [{ speaker: 'h', start: 0, end: 10, confidence: 1 }], [{ start: 0, end: 5 }]);
    expect(binIndex(bins, 1)).toBe(1);
    expect([bins[1].seconds, bins[1].falseAlarm, bins[1].confusion]).toEqual([5, 1, 0]);
  });

  it('shows the error falling as confidence rises on a real recording', async () => {
    const item = loadDataset(SHARED_EVAL).find((i) => i.name === 'pyaudioanalysis_diarizationExample')!;
    const engine = await DiarizationEngine.load({ modelsDir: testModelsDir(), embedding: 'openvoice-refenc' });
    try {
      const result = await engine.diarize(join(SHARED_EVAL, 'pyaudioanalysis_diarizationExample.wav'));
      const bins = emptyBins();
      addToBins(bins, item.reference, result.segments, item.uem);
      const errors = bins.filter((b) => b.seconds > 0).map(errorShare);
      expect(errors.length).toBeGreaterThanOrEqual(2);
      errors.forEach((error, i) => i > 0 && expect(error).toBeLessThanOrEqual(errors[i - 1]));
      expect(errors[0] - errors[errors.length - 1]).toBeGreaterThan(0.2);
    } finally {
      await engine.dispose();
    }
  });
});
