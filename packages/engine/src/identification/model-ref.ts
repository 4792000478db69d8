import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** sha256 of ad-hoc model files (not in the manifest), computed once per path. */
const fileHashes = new Map<string, string>();

/**
 * The embedding model's reference as voiceprints and speaker embeddings carry it: the manifest id
 * and the first 8 hex digits of the file's sha256, e.g. `wespeaker-resnet34-lm@1a2b3c4d`. Two
 * vectors are comparable only when their references are equal. A user-supplied ONNX file has no
 * manifest checksum (it is all zeros): its own bytes are hashed.
 */
export function embeddingModelRef(model: { id: string; sha256: string }, file?: string): string {
  let sha256 = model.sha256;
  if (/^0+$/.test(sha256) && file) {
    sha256 = fileHashes.get(file) ?? createHash('sha256').update(readFileSync(file)).digest('hex');
    fileHashes.set(file, sha256);
  }
  return `${model.id}@${sha256.slice(0, 8)}`;
}
