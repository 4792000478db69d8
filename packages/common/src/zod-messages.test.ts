import { z } from 'zod';
import { describeZodError, issueMessage, zodIssueMessages } from './zod-messages';

const schema = z
  .object({
    num_speakers: z.number({ error: 'must be a whole number between 1 and 50' }),
    webhook: z.object({ url: z.string({ error: 'must be a URL' }) }),
  })
  .strict();

function errorOf(value: unknown): z.ZodError {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected a refusal');
  return parsed.error;
}

describe('the one zod message formatter', () => {
  it('names each field by its path, one sentence per problem', () => {
    const error = errorOf({ num_speakers: 'two', webhook: {} });
    expect(zodIssueMessages(error)).toEqual(['num_speakers: must be a whole number between 1 and 50', 'webhook.url: must be a URL']);
    expect(describeZodError(error)).toBe('num_speakers: must be a whole number between 1 and 50; webhook.url: must be a URL');
  });

  it('lists unknown fields together, without a path', () => {
    const error = errorOf({ num_speakers: 2, webhook: { url: 'x' }, speakers: 2, colour: 'red' });
    expect(describeZodError(error)).toBe('unknown field(s): speakers, colour');
    expect(issueMessage(error.issues[0])).toBe('unknown field(s): speakers, colour');
  });

  it('words a problem with the whole value plainly, or with the caller’s label', () => {
    const error = z.array(z.string(), { error: 'must be a list of names' }).safeParse({}).error!;
    expect(describeZodError(error)).toBe('must be a list of names');
    expect(describeZodError(error, { rootLabel: '(root)' })).toBe('(root): must be a list of names');
  });

  it('words only the first problems of a large document when asked, counting the rest', () => {
    const error = z.array(z.number({ error: 'must be a number' })).safeParse(['a', 'b', 'c', 'd']).error!;
    expect(describeZodError(error, { limit: 2 })).toBe('0: must be a number; 1: must be a number (and 2 more)');
    expect(describeZodError(error, { limit: 4 })).toBe('0: must be a number; 1: must be a number; 2: must be a number; 3: must be a number');
  });
});
