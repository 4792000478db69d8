import { toRttm as segmentsToRttm, type DiarizationResult } from '@diarization/engine/io';
import { ObjectNotFoundError, readText, type ObjectStore } from '@diarization/storage';
import { z } from 'zod';
import type { ResultSummary } from './schemas';

/** The stored result document (results/<id>.json), as GET /jobs/:id/result returns it. */
export const storedResultSchema = z.object({
  id: z.string(),
  duration: z.number(),
  exclusive: z.boolean(),
  segments: z.array(z.object({ speaker: z.string(), start: z.number(), end: z.number() })),
  speakers: z.array(z.object({ speaker: z.string(), seconds: z.number() })),
  recipe: z.string(),
  models: z.object({
    segmentation: z.object({ id: z.string(), file: z.string() }),
    embedding: z.object({ id: z.string(), file: z.string() }),
  }),
  notices: z.array(z.string()),
});
export type StoredResult = z.output<typeof storedResultSchema>;

export function toStoredResult(jobId: string, result: DiarizationResult): StoredResult {
  return {
    id: jobId,
    duration: result.duration,
    exclusive: result.exclusive,
    segments: result.segments.map(({ speaker, start, end }) => ({ speaker, start, end })),
    speakers: result.speakers.map(({ speaker, seconds }) => ({ speaker, seconds })),
    recipe: result.recipe,
    models: result.models,
    notices: result.notices,
  };
}

export function summarize(result: StoredResult): ResultSummary {
  return {
    duration: result.duration,
    num_speakers: result.speakers.length,
    num_segments: result.segments.length,
    exclusive: result.exclusive,
    speakers: result.speakers,
  };
}

/** The legacy POST /diarize body: exactly these two keys, as the Flask service answered. */
export interface LegacyDiarizeResponse {
  speakers: { speaker: string; start: number; end: number }[];
  duration: number;
}

export function toLegacyResponse(result: StoredResult): LegacyDiarizeResponse {
  return {
    speakers: result.segments.map(({ speaker, start, end }) => ({ speaker, start, end })),
    duration: result.duration,
  };
}

/** RTTM (NIST), written by the engine's writer (Python-compatible rounding); file id `uri`, else the job id. */
export function toRttm(result: StoredResult, uri: string): string {
  return segmentsToRttm(result.segments, uri.trim() || result.id);
}

/** Reads and validates a stored result; null when it is gone. */
export async function readTextResult(store: ObjectStore, key: string): Promise<StoredResult | null> {
  try {
    return storedResultSchema.parse(JSON.parse(await readText(store, key)));
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return null;
    throw error;
  }
}
