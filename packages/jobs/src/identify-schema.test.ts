import { diarizeOptionsSchema, toEngineOptions, urlJobRequestSchema } from './schemas';

const A = '3f1c2a9e-8d4b-4c1e-9f7a-2b6d5e8c0a11';
const B = '7d2e4b1a-1c3f-4e5a-8b9c-0d1e2f3a4b5c';

describe('the job fields of transcripts, embeddings and identification', () => {
  it('reads identify as true/false, a comma-separated list or repeated fields, and JSON lists', () => {
    const identify = (value: unknown) => diarizeOptionsSchema.parse({ identify: value }).identify;
    expect(identify('true')).toBe(true);
    expect(identify('false')).toBe(false);
    expect(identify(true)).toBe(true);
    expect(identify(`${A}, ${B}`)).toEqual([A, B]);
    expect(identify([A, B])).toEqual([A, B]);
    expect(identify([`${A},${B}`])).toEqual([A, B]);
  });

  it('refuses identify values that are not voiceprint ids', () => {
    const problem = (value: unknown) => diarizeOptionsSchema.safeParse({ identify: value }).error?.issues[0]?.message;
    expect(problem('alice')).toBe('is not a voiceprint id (identify takes true, false or ids from GET /voiceprints)');
    expect(diarizeOptionsSchema.safeParse({ identify: 'alice' }).error?.issues[0]?.path).toEqual(['identify', 0]);
    expect(problem(42)).toBe('must be true, false or a list of voiceprint ids');
  });

  it('keeps return_embeddings and identify for the worker, and nothing when not asked', () => {
    expect(toEngineOptions(diarizeOptionsSchema.parse({ return_embeddings: 'true', identify: A }))).toEqual({
      exclusive: false,
      returnEmbeddings: true,
      identify: [A],
    });
    expect(toEngineOptions(diarizeOptionsSchema.parse({ return_embeddings: '', identify: 'false' }))).toEqual({ exclusive: false });
  });

  it('takes a transcript as text or as a Whisper object in JSON requests, and checks its format name', () => {
    const base = { audio_url: 'https://example.com/a.wav' };
    expect(urlJobRequestSchema.parse({ ...base, transcript: 'WEBVTT\n' }).transcript).toBe('WEBVTT\n');
    expect(urlJobRequestSchema.parse({ ...base, transcript: { segments: [] } }).transcript).toEqual({ segments: [] });
    expect(urlJobRequestSchema.safeParse({ ...base, transcript: 3 }).success).toBe(false);
    expect(urlJobRequestSchema.safeParse({ ...base, transcript_format: 'docx' }).error?.issues[0]?.message).toBe('must be one of whisper_json, srt, vtt');
  });
});
