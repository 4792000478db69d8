import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sha256OfFile } from './checksum';
import { splitWespeaker } from './onnx/wespeaker-parts';

/**
 * The trunk and head of a WeSpeaker-format embedding model (see splitWespeaker), derived from the
 * installed file and kept beside it. `derived.json` records, per source file, the source's sha256
 * and each derived file's sha256, so a missing, stale or damaged part is rebuilt.
 */
export interface EmbeddingParts {
  /** A file path, or the model's bytes when they could not be written (read-only folder, ad-hoc model). */
  trunk: string | Uint8Array;
  head: string | Uint8Array;
  pooledFeatures: number;
  dimension: number;
  notes: string[];
  /** True when they were derived by this call (not found already built). */
  built: boolean;
}

/** Bumped when the derivation changes, so that files derived by older code are rebuilt. */
const DERIVATION_VERSION = 1;
const RECORD_FILE = 'derived.json';

interface PartRecord {
  version: number;
  sourceSha256: string;
  trunk: { file: string; sha256: string };
  head: { file: string; sha256: string };
  pooledFeatures: number;
  dimension: number;
  notes: string[];
}

type PartsRecord = Record<string, PartRecord>;

export interface EnsurePartsOptions {
  /** Where derived files go; absent: derive in memory only (e.g. a user's own model file). */
  outDir?: string;
  /** The source's sha256 when the caller has verified it already. */
  sourceSha256?: string;
}

export async function ensureEmbeddingParts(sourcePath: string, options: EnsurePartsOptions = {}): Promise<EmbeddingParts> {
  const sourceSha256 = options.sourceSha256 ?? (await sha256OfFile(sourcePath));
  const key = basename(sourcePath);
  if (options.outDir) {
    const existing = await readRecord(options.outDir).then((record) => record[key]);
    if (existing && (await isIntact(existing, sourceSha256, options.outDir))) {
      const { trunk, head, pooledFeatures, dimension, notes } = existing;
      return { trunk: join(options.outDir, trunk.file), head: join(options.outDir, head.file), pooledFeatures, dimension, notes, built: false };
    }
  }
  const parts = splitWespeaker(await readFile(sourcePath), `embedding model ${sourcePath}`);
  const derived = { pooledFeatures: parts.pooledFeatures, dimension: parts.dimension, notes: parts.notes, built: true };
  if (!options.outDir) return { trunk: parts.trunk, head: parts.head, ...derived };
  const stem = key.replace(/\.onnx$/i, '');
  const record: PartRecord = {
    version: DERIVATION_VERSION,
    sourceSha256,
    trunk: { file: `${stem}.trunk.onnx`, sha256: sha256(parts.trunk) },
    head: { file: `${stem}.head.onnx`, sha256: sha256(parts.head) },
    pooledFeatures: parts.pooledFeatures,
    dimension: parts.dimension,
    notes: parts.notes,
  };
  try {
    await writeAtomically(join(options.outDir, record.trunk.file), parts.trunk);
    await writeAtomically(join(options.outDir, record.head.file), parts.head);
    await updateRecord(options.outDir, key, record);
  } catch {
    // a read-only models folder: use the parts from memory
    return { trunk: parts.trunk, head: parts.head, ...derived };
  }
  return { trunk: join(options.outDir, record.trunk.file), head: join(options.outDir, record.head.file), ...derived };
}

async function isIntact(record: PartRecord, sourceSha256: string, dir: string): Promise<boolean> {
  if (record.version !== DERIVATION_VERSION || record.sourceSha256 !== sourceSha256) return false;
  for (const part of [record.trunk, record.head]) {
    const digest = await sha256OfFile(join(dir, part.file)).catch(() => undefined);
    if (digest !== part.sha256) return false;
  }
  return true;
}

async function readRecord(dir: string): Promise<PartsRecord> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dir, RECORD_FILE), 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as PartsRecord) : {};
  } catch {
    return {};
  }
}

async function updateRecord(dir: string, key: string, entry: PartRecord): Promise<void> {
  const record = await readRecord(dir);
  record[key] = entry;
  await writeAtomically(join(dir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const partial = `${path}.${process.pid}.part`;
  try {
    await writeFile(partial, data);
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
