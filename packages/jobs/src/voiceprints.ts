import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RedisKeys } from './keys';
import { diarizeJobOptions, type DiarizeQueue, type QueuePolicy } from './queues';
import { jobErrorSchema, type JobError } from './schemas';

/** Longest label a voiceprint may have. */
export const MAX_VOICEPRINT_LABEL_LENGTH = 100;
/** Most voiceprints one token may keep (identify: true compares a job's speakers with all of them). */
export const MAX_VOICEPRINTS_PER_OWNER = 500;
/** How long the state of an enrollment (a clip a worker embeds) is kept for the client to poll. */
export const ENROLLMENT_TTL_SECONDS = 3600;

export const voiceprintLabelSchema = z
  .string({ error: 'label must be a string' })
  .trim()
  .min(1, { error: 'label must not be empty' })
  .max(MAX_VOICEPRINT_LABEL_LENGTH, { error: `label must be at most ${MAX_VOICEPRINT_LABEL_LENGTH} characters` })
  .refine((label) => !/[\p{Cc}]/u.test(label), { error: 'label must not contain control characters' });

/** A known voice, as stored and as the API shows it. */
export const voiceprintSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** The embedding model that made it (engine's embeddingModelRef: `id@sha256-prefix`). */
  model: z.string(),
  embedding: z.array(z.number()),
  created_at: z.string(),
  /** Where it came from: a clip, or a finished job's speaker. */
  source: z.union([
    z.object({ kind: z.literal('clip'), speech_seconds: z.number() }),
    z.object({ kind: z.literal('job'), job_id: z.string(), speaker: z.string() }),
  ]),
});
export type Voiceprint = z.output<typeof voiceprintSchema>;

const enrollmentSchema = z.object({
  owner: z.string(),
  status: z.enum(['pending', 'failed']),
  error: jobErrorSchema.optional(),
});
export type Enrollment = z.output<typeof enrollmentSchema>;

/** Per-owner voiceprints in Redis (one hash per token hash); a token never reads another's. */
export class VoiceprintStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async list(owner: string): Promise<Voiceprint[]> {
    const all = await this.redis.hvals(this.keys.voiceprints(owner));
    return all.map((text) => voiceprintSchema.parse(JSON.parse(text))).sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  }

  async get(owner: string, id: string): Promise<Voiceprint | null> {
    const text = await this.redis.hget(this.keys.voiceprints(owner), id);
    return text === null ? null : voiceprintSchema.parse(JSON.parse(text));
  }

  /** The owner's voiceprints among `ids`; ids that do not exist (deleted meanwhile) are left out. */
  async getMany(owner: string, ids: readonly string[]): Promise<Voiceprint[]> {
    if (ids.length === 0) return [];
    const texts = await this.redis.hmget(this.keys.voiceprints(owner), ...ids);
    return texts.filter((text): text is string => text !== null).map((text) => voiceprintSchema.parse(JSON.parse(text)));
  }

  async count(owner: string): Promise<number> {
    return this.redis.hlen(this.keys.voiceprints(owner));
  }

  /** Saves a voiceprint and ends its enrollment, if any, in one step. */
  async add(owner: string, voiceprint: Voiceprint): Promise<void> {
    await this.redis.multi().hset(this.keys.voiceprints(owner), voiceprint.id, JSON.stringify(voiceprint)).del(this.keys.voiceprintEnrollment(voiceprint.id)).exec();
  }

  /** True when it existed. */
  async remove(owner: string, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.voiceprints(owner), id)) === 1;
  }

  async startEnrollment(id: string, owner: string): Promise<void> {
    const state: Enrollment = { owner, status: 'pending' };
    await this.redis.set(this.keys.voiceprintEnrollment(id), JSON.stringify(state), 'EX', ENROLLMENT_TTL_SECONDS);
  }

  async failEnrollment(id: string, owner: string, error: JobError): Promise<void> {
    const state: Enrollment = { owner, status: 'failed', error };
    await this.redis.set(this.keys.voiceprintEnrollment(id), JSON.stringify(state), 'EX', ENROLLMENT_TTL_SECONDS);
  }

  async forgetEnrollment(id: string): Promise<void> {
    await this.redis.del(this.keys.voiceprintEnrollment(id));
  }

  /** The state of an enrollment that has not (yet) made a voiceprint; null when there is none. */
  async enrollment(id: string): Promise<Enrollment | null> {
    const text = await this.redis.get(this.keys.voiceprintEnrollment(id));
    return text === null ? null : enrollmentSchema.parse(JSON.parse(text));
  }
}

/** The BullMQ job name of an enrollment: it runs on the diarize queue, where the models are. */
export const ENROLL_VOICE_JOB = 'enroll-voice';

export const enrollVoiceJobDataSchema = z.object({
  voiceprintId: z.string().min(1),
  owner: z.string().min(1),
  label: z.string(),
  clipKey: z.string().min(1),
  /** File name extension of the uploaded clip (".m4a"), kept for the temp copy. */
  extension: z.string().max(16),
});
export type EnrollVoiceJobData = z.output<typeof enrollVoiceJobDataSchema>;

/** Storage key of a clip waiting to be enrolled (deleted once embedded). */
export function voiceClipObjectKey(voiceprintId: string): string {
  return `voiceprints/${voiceprintId}/clip`;
}

export async function enqueueEnrollment(queue: DiarizeQueue, data: EnrollVoiceJobData, policy: QueuePolicy): Promise<void> {
  await (queue as unknown as Queue<EnrollVoiceJobData, unknown, string>).add(ENROLL_VOICE_JOB, data, { ...diarizeJobOptions(policy), jobId: `enroll-${data.voiceprintId}` });
}
