import { DiarizationError } from './errors';
import type { DiarizationResult, DiarizeOptions, EngineConfig, ModelInfo, Recipe } from './types';

export interface EngineDescription {
  segmentation: ModelInfo;
  embedding: ModelInfo;
  recipe: Recipe;
  notices: string[];
}

/**
 * Loads the models once and diarizes many files. (Work in progress: the pipeline is being
 * assembled; this class fixes the interface the CLI and the worker code against.)
 */
export class DiarizationEngine {
  private constructor(readonly description: EngineDescription) {}

  static async load(config: EngineConfig = {}): Promise<DiarizationEngine> {
    void config;
    throw new DiarizationError('MODEL_MISSING', 'the diarization engine is not assembled yet');
  }

  async diarize(source: string, options: DiarizeOptions = {}): Promise<DiarizationResult> {
    void source;
    void options;
    throw new DiarizationError('MODEL_MISSING', 'the diarization engine is not assembled yet');
  }

  async dispose(): Promise<void> {}
}
