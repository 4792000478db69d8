import { defaultModelsDir } from '@diarization/models';

export interface CliEngineSettings {
  modelsDir: string;
  /** FFMPEG_PATH when set; the engine falls back to ffmpeg on PATH, then the bundled one. */
  ffmpegPath?: string;
}

/**
 * Where the command-line tools find their models and ffmpeg: the --models-dir flag, else
 * MODELS_DIR, else models/weights; FFMPEG_PATH. The CLI reads its environment here, once: the
 * engine takes these settings from it and reads no environment itself.
 */
export function cliEngineSettings(flags: { 'models-dir'?: string }, env: NodeJS.ProcessEnv = process.env): CliEngineSettings {
  const ffmpegPath = env.FFMPEG_PATH?.trim();
  return { modelsDir: flags['models-dir'] ?? defaultModelsDir(env), ...(ffmpegPath ? { ffmpegPath } : {}) };
}
