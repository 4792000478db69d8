import { join } from 'node:path';
import { loadNpy, loadNpz, requireArray, toFloat64, toInt32 } from '../numpy';
import { SAMPLE_FIXTURES } from '../../../../test/shared-paths';
import { loadSample } from '../../../../test/support/pyannote-fixtures';
import { agglomerativeLabels, COMMUNITY1_AHC_THRESHOLD } from './ahc';
import { gatherEmbeddings, selectActiveSpeakers, selectCleanSpeakers } from './select-training-embeddings';

describe('training-embedding selection and AHC on the pyannote sample', () => {
  const { embeddings, segmentations } = loadSample();
  const fixture = loadNpz(join(SAMPLE_FIXTURES, 'plda_embeddings.npz'));

  it('selects the fixture train_chunk_idx / train_speaker_idx (4.0 clean-frame rule)', () => {
    const selection = selectCleanSpeakers(embeddings, segmentations);
    expect(Array.from(selection.chunkIndices)).toEqual(Array.from(toInt32(requireArray(fixture, 'train_chunk_idx', 'plda'))));
    expect(Array.from(selection.speakerIndices)).toEqual(Array.from(toInt32(requireArray(fixture, 'train_speaker_idx', 'plda'))));
  });

  it('3.1 rule keeps every speaker active in at least one frame', () => {
    const selection = selectActiveSpeakers(embeddings, segmentations);
    // speaker 0 is never active; speaker 2 is silent in chunk 0 only -> 21 + 20 pairs.
    expect(selection.chunkIndices.length).toBe(41);
    expect(Array.from(selection.speakerIndices.subarray(0, 3))).toEqual([1, 1, 2]);
  });

  it('reproduces ahc_init_labels exactly (same numbering)', () => {
    expect(toFloat64(requireArray(loadNpz(join(SAMPLE_FIXTURES, 'ahc_state.npz')), 'threshold', 'ahc_state'))[0]).toBe(
      COMMUNITY1_AHC_THRESHOLD,
    );
    const selection = selectCleanSpeakers(embeddings, segmentations);
    const train = gatherEmbeddings(embeddings, selection);
    const labels = agglomerativeLabels(train, selection.chunkIndices.length, embeddings.dimension, COMMUNITY1_AHC_THRESHOLD);
    const expected = toInt32(loadNpy(join(SAMPLE_FIXTURES, 'ahc_init_labels.npy')));
    expect(Array.from(labels)).toEqual(Array.from(expected));
  });
});
