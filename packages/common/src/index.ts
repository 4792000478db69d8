export { describeZodError, issueMessage, zodIssueMessages, type ZodMessageOptions } from './zod-messages';
export { DEFAULT_MAX_AUDIO_SECONDS, SAMPLE_RATE } from './audio-limits';
