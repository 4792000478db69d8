import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiarizationResult } from '@diarization/engine';
import { UsageError } from './run-main';
import { readVoiceOptions, voiceJson, withIdentifiedNames } from './voiceprint-options';

describe('readVoiceOptions', () => {
  let dir: string;
  let clip: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'voiceprint-options-'));
    clip = join(dir, 'ada.wav');
    writeFileSync(clip, 'not read here');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads NAME=FILE pairs, --embeddings and the threshold', () => {
    expect(readVoiceOptions({ embeddings: true, voiceprint: [`Ada=${clip}`, `Bob=${clip}`], 'identify-threshold': '0.7' })).toEqual({
      returnEmbeddings: true,
      voiceprints: [
        { name: 'Ada', file: clip },
        { name: 'Bob', file: clip },
      ],
      identifyThreshold: 0.7,
    });
    expect(readVoiceOptions({})).toEqual({ returnEmbeddings: false, voiceprints: [], identifyThreshold: undefined });
  });

  it.each([
    [{ voiceprint: ['Ada'] }, '--voiceprint must be NAME=FILE, got "Ada"'],
    [{ voiceprint: ['=x.wav'] }, '--voiceprint must be NAME=FILE, got "=x.wav"'],
    [{ voiceprint: ['Ada Lovelace=x.wav'] }, '--voiceprint name "Ada Lovelace" must not contain whitespace'],
    [{ voiceprint: ['SPEAKER_01=x.wav'] }, '--voiceprint name "SPEAKER_01" would be mistaken for an unidentified speaker: choose another'],
    [{ voiceprint: ['Ada=/nonexistent/ada.wav'] }, '--voiceprint Ada: file /nonexistent/ada.wav does not exist'],
    [{ 'identify-threshold': '0.5' }, '--identify-threshold needs at least one --voiceprint NAME=FILE'],
  ])('refuses %j', (values, message) => {
    expect(() => readVoiceOptions(values)).toThrow(new UsageError(message));
  });

  it('refuses a repeated name and a threshold outside -1..1', () => {
    expect(() => readVoiceOptions({ voiceprint: [`Ada=${clip}`, `Ada=${clip}`] })).toThrow('--voiceprint Ada is given twice');
    for (const bad of ['1.5', '-2', 'high', '']) {
      expect(() => readVoiceOptions({ voiceprint: [`Ada=${clip}`], 'identify-threshold': bad })).toThrow(
        `--identify-threshold must be a cosine similarity between -1 and 1, got "${bad}"`,
      );
    }
  });
});

describe('withIdentifiedNames and voiceJson', () => {
  const result = {
    segments: [
      { speaker: 'SPEAKER_00', start: 0, end: 1, confidence: 0.9 },
      { speaker: 'SPEAKER_01', start: 1, end: 2, confidence: 0.8 },
    ],
    speakers: [
      { speaker: 'SPEAKER_00', seconds: 1, confidence: 0.9 },
      { speaker: 'SPEAKER_01', seconds: 1, confidence: 0.8 },
    ],
    identification: [
      { speaker: 'SPEAKER_00', voiceprint: { id: 'Ada', label: 'Ada', score: 0.93 } },
      { speaker: 'SPEAKER_01', voiceprint: null },
    ],
  } as unknown as DiarizationResult;

  it('names identified speakers after their voiceprint and leaves the others', () => {
    const named = withIdentifiedNames(result);
    expect(named.segments.map((s) => s.speaker)).toEqual(['Ada', 'SPEAKER_01']);
    expect(named.speakers.map((s) => s.speaker)).toEqual(['Ada', 'SPEAKER_01']);
    expect(result.segments[0].speaker).toBe('SPEAKER_00');
  });

  it('adds speaker_embeddings and identification to the JSON only when present', () => {
    expect(voiceJson({ ...result, identification: undefined })).toEqual({});
    expect(voiceJson(result)).toEqual({ identification: result.identification });
  });
});
