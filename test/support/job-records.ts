import type { NewJobRecord } from '../../packages/jobs/src/records';

/** A new job record for tests: a 2-speaker job of `meeting.m4a`, no webhook, unless told otherwise. */
export function newJobRecord(id: string, overrides: Partial<NewJobRecord> = {}): NewJobRecord {
  return {
    id,
    owner: 'owner-hash',
    filename: 'meeting.m4a',
    audioKey: `audio/${id}/original`,
    options: { exclusive: false, numSpeakers: 2 },
    webhookUrl: null,
    ...overrides,
  };
}
