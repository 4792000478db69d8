import { diarizeOptionsSchema, urlJobRequestSchema } from '@diarization/jobs';
import type { ServiceConfig } from '@diarization/config';
import { createApp } from './app';
import { HttpError } from './errors';
import type { ApiServices } from './services';
import { parseOrBadRequest } from './validation';

const TOKEN = 'test-token';

/** Just enough of the services for a request that is refused before anything is stored or queued. */
function stubServices(): ApiServices {
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  return {
    config: { tokens: [TOKEN] } as unknown as ServiceConfig,
    logger: { ...quiet, child: () => quiet },
    redis: { ping: async () => 'PONG' },
  } as unknown as ApiServices;
}

function badRequest(schema: typeof diarizeOptionsSchema, input: unknown): HttpError {
  try {
    parseOrBadRequest(schema, input);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('booleans as clients send them', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['', false],
  ])('reads exclusive=%j as %j (PHP sends false as an empty field)', (value, expected) => {
    expect(parseOrBadRequest(diarizeOptionsSchema, { exclusive: value }).exclusive).toBe(expected);
  });

  it('still refuses what is not a boolean', () => {
    expect(badRequest(diarizeOptionsSchema, { exclusive: 'perhaps' }).message).toBe('exclusive: must be true or false');
  });
});

describe('speaker counts in the API (the engine\'s rules, snake_case names)', () => {
  it.each([
    [{ num_speakers: '2', min_speakers: '3' }, 'num_speakers: must not be less than min_speakers'],
    [{ num_speakers: '5', max_speakers: '4' }, 'num_speakers: must not be greater than max_speakers'],
    [{ min_speakers: '4', max_speakers: '2' }, 'min_speakers: must not be greater than max_speakers'],
    [{ num_speakers: '0' }, 'num_speakers: must be a whole number between 1 and 50'],
    [{ max_speakers: '51' }, 'max_speakers: must be a whole number between 1 and 50'],
  ])('refuses %j with 400', (fields, message) => {
    const error = badRequest(diarizeOptionsSchema, fields);
    expect(error.status).toBe(400);
    expect(error.message).toBe(message);
  });

  it('accepts what the engine accepts, num_speakers inside min..max included', () => {
    expect(parseOrBadRequest(diarizeOptionsSchema, { num_speakers: '3', min_speakers: '2', max_speakers: '4' })).toEqual({
      num_speakers: 3,
      min_speakers: 2,
      max_speakers: 4,
    });
    expect(parseOrBadRequest(urlJobRequestSchema, { audio_url: 'https://example.com/a.wav', num_speakers: 50 }).num_speakers).toBe(50);
  });

  it('POST /jobs answers 400 for num_speakers 2 with min_speakers 3', async () => {
    const app = createApp(stubServices());
    const response = await app.request('/jobs', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: 'https://example.com/meeting.wav', num_speakers: 2, min_speakers: 3 }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'num_speakers: must not be less than min_speakers' });
  });
});
