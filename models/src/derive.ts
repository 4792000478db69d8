import type { Derivation } from './manifest';
import { widenFp16Model } from './onnx/widen-fp16';

/** What each transform does, for messages and the README. */
export const DERIVATION_DESCRIPTIONS: Record<Derivation['transform'], string> = {
  'widen-fp16': 'float16 tensors, Casts and value types widened to float32',
};

/**
 * Applies a manifest derivation to the source file's bytes. Deterministic: the installer checks
 * the result against the derived entry's own bytes and sha256 like any other file.
 */
export function deriveModelFile(derivation: Derivation, source: Uint8Array, what: string): Uint8Array {
  switch (derivation.transform) {
    case 'widen-fp16':
      return widenFp16Model(source, what).bytes;
  }
}
