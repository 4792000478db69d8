import { basename } from 'node:path';
import { toRttm as segmentsToRttm, type DiarizationResult } from '@diarization/engine/io';
import { findModel, loadManifest, type Manifest } from '@diarization/models';
import { ObjectNotFoundError, readText, type ObjectStore } from '@diarization/storage';
import type { AttributedTranscript } from '@diarization/transcripts';
import { z } from 'zod';
import type { ResultSummary } from './schemas';

/** Hex digits of a model's sha256 that results show: enough to tell model files apart. */
export const MODEL_SHA256_DIGITS = 12;

/**
 * Replaces absolute paths in a message with their last part ("model x (/srv/models/plda.npz)
 * is not installed" -> "(plda.npz)"): results and webhooks leave the server, its layout must not.
 */
export function withoutPaths(text: string): string {
  return text.replace(/(^|[\s("'=])(?:\/[^\s/()"',;]+)+\/?/g, (match: string, before: string) => {
    const parts = match.slice(before.length).split('/').filter((part) => part !== '');
    return `${before}${parts[parts.length - 1] ?? ''}`;
  });
}

/**
 * How results name a model: its manifest id and the start of its sha256, never the file's path.
 * `sha256` is null for a file that is not in the manifest (a user's own ONNX file); results
 * stored before models had checksums here read as null too (their `file` is dropped).
 */
const modelRefSchema = z.object({
  id: z.string().transform(withoutPaths),
  sha256: z.string().nullable().default(null),
});
export type ModelRef = z.output<typeof modelRefSchema>;

/** One centroid per speaker, with the embedding model that made them (`wespeaker-resnet34@1a2b3c4d`). */
export const speakerEmbeddingsSchema = z.object({
  model: z.string(),
  vectors: z.array(z.object({ speaker: z.string(), embedding: z.array(z.number()) })),
});
export type StoredSpeakerEmbeddings = z.output<typeof speakerEmbeddingsSchema>;

const attributedWordSchema = z.object({ start: z.number(), end: z.number(), text: z.string(), speaker: z.string().nullable() });

/** The job's transcript with a speaker for every word (or segment): transcripts' AttributedTranscript. */
export const attributedTranscriptSchema = z.object({
  segments: z.array(attributedWordSchema.extend({ words: z.array(attributedWordSchema).optional() })),
  speaker_names: z.record(z.string(), z.string()),
});

/** The stored result document (results/<id>.json), as GET /jobs/:id/result returns it. */
export const storedResultSchema = z.object({
  id: z.string(),
  duration: z.number(),
  exclusive: z.boolean(),
  // confidence: absent in results stored before the engine had it
  segments: z.array(z.object({ speaker: z.string(), start: z.number(), end: z.number(), confidence: z.number().optional() })),
  speakers: z.array(z.object({ speaker: z.string(), seconds: z.number(), confidence: z.number().optional() })),
  recipe: z.string(),
  models: z.object({ segmentation: modelRefSchema, embedding: modelRefSchema }),
  notices: z.array(z.string().transform(withoutPaths)),
  /** Only when the job asked for it (return_embeddings). */
  speaker_embeddings: speakerEmbeddingsSchema.optional(),
  /** Only when the job asked for it (identify): each speaker's voiceprint, or null. */
  identification: z
    .array(z.object({ speaker: z.string(), voiceprint: z.object({ id: z.string(), label: z.string(), score: z.number() }).nullable() }))
    .optional(),
  /** Only when the job came with a transcript. */
  transcript: attributedTranscriptSchema.optional(),
});
export type StoredResult = z.output<typeof storedResultSchema>;

let defaultManifest: Manifest | null | undefined;

/** models/manifest.json, read once; null when it cannot be read (results then show no sha256). */
function installedManifest(): Manifest | null {
  if (defaultManifest === undefined) {
    try {
      defaultManifest = loadManifest();
    } catch {
      defaultManifest = null;
    }
  }
  return defaultManifest;
}

/** The engine's model info ({id, file: absolute path}) as results show it. */
export function toModelRef(model: DiarizationResult['models']['segmentation'], manifest: Manifest | null = installedManifest()): ModelRef {
  // The manifest's checksum only for the manifest's file: a user's file of the same name has its own.
  const entry = manifest === null ? undefined : findModel(manifest, model.id);
  const checked = entry !== undefined && basename(model.file) === entry.file;
  return {
    id: withoutPaths(model.id),
    sha256: checked ? entry.sha256.slice(0, MODEL_SHA256_DIGITS) : null,
  };
}

/** What a job asked for beyond the diarization itself. */
export interface StoredResultExtras {
  returnEmbeddings?: boolean;
  /** Identification was asked for: every speaker gets an entry (null when no voiceprint was left to match). */
  identify?: boolean;
  transcript?: AttributedTranscript;
}

/** The result document the worker stores: the engine's result without timings, paths or file names. */
export function toStoredResult(
  jobId: string,
  result: DiarizationResult,
  manifest: Manifest | null = installedManifest(),
  extras: StoredResultExtras = {},
): StoredResult {
  const identification = extras.identify
    ? result.speakers.map(({ speaker }) => result.identification?.find((entry) => entry.speaker === speaker) ?? { speaker, voiceprint: null })
    : undefined;
  return {
    id: jobId,
    duration: result.duration,
    exclusive: result.exclusive,
    segments: result.segments.map(({ speaker, start, end, confidence }) => ({ speaker, start, end, confidence })),
    speakers: result.speakers.map(({ speaker, seconds, confidence }) => ({ speaker, seconds, confidence })),
    recipe: result.recipe,
    models: { segmentation: toModelRef(result.models.segmentation, manifest), embedding: toModelRef(result.models.embedding, manifest) },
    notices: result.notices.map(withoutPaths),
    ...(extras.returnEmbeddings && result.speakerEmbeddings ? { speaker_embeddings: result.speakerEmbeddings } : {}),
    ...(identification ? { identification } : {}),
    ...(extras.transcript ? { transcript: extras.transcript } : {}),
  };
}

/**
 * The stored document's field with every speaker's centroid, kept even when the job did not ask
 * for them (a voiceprint can be made from a finished job's speaker); storedResultSchema drops it,
 * so results never show it.
 */
const CENTROIDS_FIELD = 'internal_speaker_centroids';

/** The text stored as results/<id>.json: the result, plus the speakers' centroids when the engine gave them. */
export function storedResultDocument(stored: StoredResult, centroids: StoredSpeakerEmbeddings | undefined): string {
  return JSON.stringify(centroids === undefined ? stored : { ...stored, [CENTROIDS_FIELD]: centroids });
}

/** The speakers' centroids kept with a stored result; null when the result is gone or has none. */
export async function readSpeakerCentroids(store: ObjectStore, key: string): Promise<StoredSpeakerEmbeddings | null> {
  let json: unknown;
  try {
    json = JSON.parse(await readText(store, key));
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return null;
    throw error;
  }
  const parsed = speakerEmbeddingsSchema.safeParse((json as Record<string, unknown> | null)?.[CENTROIDS_FIELD]);
  return parsed.success ? parsed.data : null;
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
