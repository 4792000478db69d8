import { aggregateDer, computeDer } from './der';
import type { Segment } from './segment';

const turn = (speaker: string, start: number, end: number): Segment => ({ speaker, start, end });

describe('computeDer (hand-computed cases)', () => {
  it('scores a perfect diarization with swapped labels as 0', () => {
    // ref A 0-10, B 10-20; hyp y 0-10, x 10-20. Mapping y→A, x→B: all 20 s correct.
    const result = computeDer([turn('A', 0, 10), turn('B', 10, 20)], [turn('x', 10, 20), turn('y', 0, 10)]);
    expect(result).toMatchObject({ der: 0, total: 20, missed: 0, falseAlarm: 0, confusion: 0, correct: 20 });
    expect(result.mapping).toEqual({ y: 'A', x: 'B' });
  });

  it('counts unhypothesised reference speech as missed', () => {
    // ref A 0-10, B 10-15; hyp A 0-10. total 15, missed 5 (10-15) → DER 5/15.
    const result = computeDer([turn('A', 0, 10), turn('B', 10, 15)], [turn('A', 0, 10)]);
    expect(result).toMatchObject({ total: 15, missed: 5, falseAlarm: 0, confusion: 0, correct: 10 });
    expect(result.der).toBeCloseTo(1 / 3, 12);
  });

  it('counts hypothesis speech outside the reference as false alarm (the default scored extent covers it)', () => {
    // ref A 0-10; hyp h 0-10 and 12-14. No UEM → scored extent 0-14. total 10, false alarm 2 → DER 0.2.
    const result = computeDer([turn('A', 0, 10)], [turn('h', 0, 10), turn('h', 12, 14)]);
    expect(result).toMatchObject({ total: 10, missed: 0, falseAlarm: 2, confusion: 0, correct: 10 });
    expect(result.der).toBeCloseTo(0.2, 12);
  });

  it('finds the optimal mapping where the greedy/naive one is worse', () => {
    // ref A 0-9, B 9-13; hyp 1 0-5 and 9-13, hyp 2 5-9.
    // Co-occurrence: A·1 = 5, A·2 = 4, B·1 = 4, B·2 = 0.
    // Greedy (A→1 first) gets 5 s correct; optimal 1→B, 2→A gets 4 + 4 = 8 s.
    // total 13, confusion 13 - 8 = 5 (0-5: A spoken, 1 = B hypothesised) → DER 5/13 ≈ 0.3846.
    const result = computeDer(
      [turn('A', 0, 9), turn('B', 9, 13)],
      [turn('1', 0, 5), turn('2', 5, 9), turn('1', 9, 13)],
    );
    expect(result.mapping).toEqual({ '1': 'B', '2': 'A' });
    expect(result).toMatchObject({ total: 13, missed: 0, falseAlarm: 0, confusion: 5, correct: 8 });
    expect(result.der).toBeCloseTo(5 / 13, 12);
  });

  it('scores reference-only overlap as missed speech for the extra speaker', () => {
    // ref A 0-10, B 5-8 (overlap 5-8); hyp 1 0-10.
    // total 10 + 3 = 13; 5-8 has 2 ref vs 1 hyp → missed 3; 1→A correct 10 → DER 3/13.
    const result = computeDer([turn('A', 0, 10), turn('B', 5, 8)], [turn('1', 0, 10)]);
    expect(result).toMatchObject({ total: 13, missed: 3, falseAlarm: 0, confusion: 0, correct: 10 });
    expect(result.der).toBeCloseTo(3 / 13, 12);
  });

  it('scores overlap on both sides interval by interval', () => {
    // ref A 0-10, B 4-8; hyp 1 0-9, 2 5-10. Co-occurrence A·1 9, A·2 5, B·1 4, B·2 3 → 1→A, 2→B (12 > 9).
    //   0-4  ref{A}   hyp{1}   total 4  correct 4
    //   4-5  ref{A,B} hyp{1}   total 2  missed 1  correct 1
    //   5-8  ref{A,B} hyp{1,2} total 6  correct 6
    //   8-9  ref{A}   hyp{1,2} total 1  false alarm 1  correct 1
    //   9-10 ref{A}   hyp{2}   total 1  confusion 1
    // total 14, missed 1, false alarm 1, confusion 1 → DER 3/14.
    const result = computeDer([turn('A', 0, 10), turn('B', 4, 8)], [turn('1', 0, 9), turn('2', 5, 10)]);
    expect(result.mapping).toEqual({ '1': 'A', '2': 'B' });
    expect(result).toMatchObject({ total: 14, missed: 1, falseAlarm: 1, confusion: 1, correct: 12 });
    expect(result.der).toBeCloseTo(3 / 14, 12);
  });

  it('scores only inside the UEM, which can remove an error', () => {
    // ref A 0-10; hyp 1 0-12. Without UEM: false alarm 10-12 → 2/10. UEM 0-10 crops it away → 0.
    const reference = [turn('A', 0, 10)];
    const hypothesis = [turn('1', 0, 12)];
    expect(computeDer(reference, hypothesis).der).toBeCloseTo(0.2, 12);
    expect(computeDer(reference, hypothesis, { uem: [{ start: 0, end: 10 }] })).toMatchObject({
      der: 0,
      total: 10,
      falseAlarm: 0,
    });
  });

  it('honours a UEM with several regions', () => {
    // ref A 0-10; hyp 1 0-5; UEM 0-4 and 6-10. Scored ref 4 + 4 = 8; hyp covers 0-4 only → missed 4 → DER 0.5.
    const result = computeDer([turn('A', 0, 10)], [turn('1', 0, 5)], {
      uem: [
        { start: 6, end: 10 },
        { start: 0, end: 4 },
      ],
    });
    expect(result).toMatchObject({ der: 0.5, total: 8, missed: 4, falseAlarm: 0, confusion: 0, correct: 4 });
  });

  it('does not count speakers as overlapping where segments only touch', () => {
    // ref A 0-5, B 5-10; hyp 1 0-5, 2 5-10 → total 10, DER 0.
    expect(
      computeDer([turn('A', 0, 5), turn('B', 5, 10)], [turn('1', 0, 5), turn('2', 5, 10)]),
    ).toMatchObject({ der: 0, total: 10, correct: 10 });
    // ref A 0-5 and 5-10 (one speaker, touching); hyp 1 0-10 → total 10, DER 0.
    expect(computeDer([turn('A', 0, 5), turn('A', 5, 10)], [turn('1', 0, 10)])).toMatchObject({
      der: 0,
      total: 10,
      correct: 10,
    });
  });

  it('counts overlapping segments of one speaker once', () => {
    // ref A 0-6 and A 4-10 is A 0-10 (total 10, not 12); hyp 1 0-10 → DER 0.
    expect(computeDer([turn('A', 0, 6), turn('A', 4, 10)], [turn('1', 0, 10)])).toMatchObject({
      der: 0,
      total: 10,
      missed: 0,
    });
    // The same on the hypothesis side: no false alarm from the doubled 4-6.
    expect(computeDer([turn('A', 0, 10)], [turn('1', 0, 6), turn('1', 4, 10)])).toMatchObject({
      der: 0,
      total: 10,
      falseAlarm: 0,
    });
  });

  it('scores an empty hypothesis as DER 1', () => {
    // ref A 0-4, B 6-10: total 8, all missed.
    const result = computeDer([turn('A', 0, 4), turn('B', 6, 10)], []);
    expect(result).toMatchObject({ der: 1, total: 8, missed: 8, falseAlarm: 0, confusion: 0, correct: 0 });
    expect(result).toMatchObject({ numReferenceSpeakers: 2, numHypothesisSpeakers: 0, mapping: {} });
  });

  it('leaves extra hypothesis speakers unmapped and counts their speech as confusion', () => {
    // ref A 0-10; hyp 1 0-6, 2 6-9, 3 9-10. Mapping 1→A; 6-10 is confused → confusion 4, DER 0.4.
    const result = computeDer([turn('A', 0, 10)], [turn('1', 0, 6), turn('2', 6, 9), turn('3', 9, 10)]);
    expect(result.mapping).toEqual({ '1': 'A' });
    expect(result).toMatchObject({ total: 10, missed: 0, falseAlarm: 0, confusion: 4, correct: 6 });
    expect(result).toMatchObject({ numReferenceSpeakers: 1, numHypothesisSpeakers: 3 });
    expect(result.der).toBeCloseTo(0.4, 12);
  });

  it('ignores zero-length segments and speakers with no speech inside the UEM', () => {
    // ref A 0-10, C only at 20-25 (outside the UEM); hyp 1 0-10 plus a zero-length 2 at 5.
    const result = computeDer(
      [turn('A', 0, 10), turn('C', 20, 25)],
      [turn('1', 0, 10), turn('2', 5, 5)],
      { uem: [{ start: 0, end: 10 }] },
    );
    expect(result).toMatchObject({ der: 0, total: 10, numReferenceSpeakers: 1, numHypothesisSpeakers: 1 });
  });

  it('follows pyannote.metrics when there is no reference speech: 0 if nothing is hypothesised, else 1', () => {
    expect(computeDer([], [])).toMatchObject({ der: 0, total: 0 });
    expect(computeDer([], [turn('1', 0, 3)])).toMatchObject({ der: 1, total: 0, falseAlarm: 3 });
  });
});

describe('aggregateDer', () => {
  it('weights files by their reference speech, not by file count', () => {
    // file 1: total 10, error 2 (DER 0.2); file 2: total 30, error 3 (DER 0.1).
    // Time-weighted: 5 / 40 = 0.125 (the plain mean would be 0.15).
    const file1 = computeDer([turn('A', 0, 10)], [turn('1', 0, 10), turn('1', 12, 14)]);
    const file2 = computeDer([turn('A', 0, 30)], [turn('1', 0, 27)]);
    expect(file1.der).toBeCloseTo(0.2, 12);
    expect(file2.der).toBeCloseTo(0.1, 12);

    const overall = aggregateDer([file1, file2]);
    expect(overall).toMatchObject({ total: 40, missed: 3, falseAlarm: 2, confusion: 0, correct: 37 });
    expect(overall.der).toBeCloseTo(0.125, 12);
  });

  it('is 0 over no files', () => {
    expect(aggregateDer([])).toEqual({ der: 0, total: 0, missed: 0, falseAlarm: 0, confusion: 0, correct: 0 });
  });
});
