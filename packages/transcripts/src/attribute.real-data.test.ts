import { join } from 'node:path';
import { DiarizationEngine } from '@diarization/engine';
import { computeDer } from '@diarization/evaluation';
import { SHARED_EVAL } from '../../../test/shared-paths';
import { testModelsDir } from '../../../test/support/models';
import { readStm, wordsOf, type StmUtterance } from '../../../test/support/stm-transcript';
import { attributeTranscript } from './attribute';
import type { TranscriptSegment } from './types';

/** Word timings spread over each utterance in proportion to the words' lengths (the stm has none). */
function withWordTimings(utterance: StmUtterance): TranscriptSegment {
  const words = wordsOf(utterance).map(({ word, start, end }) => ({ text: word.trim(), start, end }));
  return { start: utterance.start, end: utterance.end, text: utterance.text, words };
}

describe('speaker attribution on pyannote_sample.wav with the real models', () => {
  let engine: DiarizationEngine;
  beforeAll(async () => {
    engine = await DiarizationEngine.load({ modelsDir: testModelsDir() });
  });

  /**
   * The reference is the stm's utterances (speaker, start, end). "Speech the diarization gets
   * right" is DER's `correct / total` against that reference (no collar, optimal one-to-one
   * mapping): the share of reference speech time attributed to the mapped speaker. "Words that
   * agree" are those whose assigned speaker maps, under the same mapping, to the word's reference
   * speaker; words left without a speaker count as wrong.
   */
  it('assigns the reference speaker to at least the share of words that DER says is right', async () => {
    const utterances = readStm(join(SHARED_EVAL, 'pyannote_sample.stm'));
    const diarization = await engine.diarize(join(SHARED_EVAL, 'pyannote_sample.wav'), { exclusive: true, numSpeakers: 2 });
    const reference = utterances.map(({ speaker, start, end }) => ({ speaker, start, end }));
    const score = computeDer(reference, diarization.segments);
    const rightShare = score.correct / score.total;

    const attributed = attributeTranscript({ segments: utterances.map(withWordTimings) }, diarization.segments);
    const pairs = attributed.segments.flatMap((segment, index) => segment.words!.map((word) => ({ word, truth: utterances[index].speaker })));
    const agreeing = pairs.filter(({ word, truth }) => word.speaker !== null && score.mapping[word.speaker] === truth).length;
    const wordShare = agreeing / pairs.length;

    expect(pairs.length).toBeGreaterThan(50);
    expect(rightShare).toBeGreaterThan(0.5); // the diarization itself is sane
    expect(wordShare).toBeGreaterThanOrEqual(rightShare);
    // every segment's speaker is the one most of its words got
    for (const segment of attributed.segments) expect(segment.words!.some((word) => word.speaker === segment.speaker)).toBe(true);
  });
});
