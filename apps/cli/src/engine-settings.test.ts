import { DEFAULT_MODELS_DIR } from '@diarization/models';
import { cliEngineSettings } from './engine-settings';

describe("the CLI's engine settings (the engine reads no environment)", () => {
  it('takes --models-dir first, then MODELS_DIR, then models/weights', () => {
    expect(cliEngineSettings({ 'models-dir': '/flag' }, { MODELS_DIR: '/env' }).modelsDir).toBe('/flag');
    expect(cliEngineSettings({}, { MODELS_DIR: '/env' }).modelsDir).toBe('/env');
    expect(cliEngineSettings({}, { MODELS_DIR: ' ' }).modelsDir).toBe(DEFAULT_MODELS_DIR);
    expect(cliEngineSettings({}, {}).modelsDir).toBe(DEFAULT_MODELS_DIR);
  });

  it('passes FFMPEG_PATH on when it is set', () => {
    expect(cliEngineSettings({}, { FFMPEG_PATH: '/opt/ffmpeg/bin/ffmpeg' }).ffmpegPath).toBe('/opt/ffmpeg/bin/ffmpeg');
    expect(cliEngineSettings({}, { FFMPEG_PATH: '' })).not.toHaveProperty('ffmpegPath');
    expect(cliEngineSettings({}, {})).not.toHaveProperty('ffmpegPath');
  });
});
