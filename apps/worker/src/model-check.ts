import type { ServiceConfig } from '@diarization/config';
import { DiarizationEngine } from '@diarization/engine';
import { engineConfig } from './engine-loader';

export type ModelStatus =
  | { loaded: true; segmentation: string; embedding: string; embeddingModel: string; notices: string[] }
  | { loaded: false; error: string };

/**
 * Loads the models once in the parent to prove they work (files present, checksums, ffmpeg
 * later per job), then frees them: the children load their own copy for inference.
 */
export async function checkModels(config: ServiceConfig): Promise<ModelStatus> {
  try {
    const engine = await DiarizationEngine.load(engineConfig(config));
    const { segmentation, embedding, embeddingModel, notices } = engine.description;
    await engine.dispose();
    return { loaded: true, segmentation: segmentation.id, embedding: embedding.id, embeddingModel, notices };
  } catch (error) {
    return { loaded: false, error: error instanceof Error ? error.message : String(error) };
  }
}
