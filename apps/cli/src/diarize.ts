#!/usr/bin/env node
/**
 * npm run diarize -- FILE [--format json|rttm] [--num-speakers N] [--min-speakers N] [--max-speakers N]
 *                    [--exclusive] [--recipe 3.1|community-1] [--embedding ID|PATH] [--replay DIR] ...
 * (--help lists every option)
 */
import { basename, extname } from 'node:path';
import {
  DiarizationEngine,
  EMBEDDING_METHODS,
  loadReplayFolder,
  PRESETS,
  RECIPES,
  toRttm,
  type DiarizationResult,
  type ExecutionProvider,
  type Preset,
} from '@diarization/engine';
import { oneOf, parseCommandLine, positiveInteger, positiveNumber } from './arguments';
import { cliEngineSettings } from './engine-settings';
import { htmlReport } from './html-report';
import { progressBar } from './progress-bar';
import { runMain, UsageError } from './run-main';
import { speakerOptions } from './speaker-options';
import { attributedTranscript, isTranscriptOutput, readTranscriptOption, transcriptText, TRANSCRIPT_OPTIONS, TRANSCRIPT_USAGE } from './transcript-output';
import { enrollVoiceprints, readVoiceOptions, voiceJson, VOICEPRINT_OPTIONS, VOICEPRINT_USAGE, withIdentifiedNames } from './voiceprint-options';

const USAGE = `usage: npm run diarize -- FILE [options]
  --format json|rttm|html|srt|vtt
                            output format (default json); html: the timeline as one self-contained page;
                            srt, vtt: the --transcript with each cue's speaker
  --embed-audio             with --format html: put the audio in the page for playback (Opus, ~240 KB a minute)
  --num-speakers N          exact number of speakers
  --min-speakers N          at least N speakers
  --max-speakers N          at most N speakers
  --exclusive               one speaker at a time (for aligning transcripts)
  --recipe 3.1|community-1  clustering recipe (default: community-1 when the embedding model has a PLDA)
  --embedding ID|PATH       embedding model id from models/manifest.json, or an ONNX file (feats -> embs)
  --preset default|fast     speed settings: fast looks at each second 3-4 times instead of 10 (see the README)
  --window-step SECONDS     seconds between 10 s windows (default 1, pyannote's; fast: 3)
  --embedding-method weighted-pooling|frame-selection
                            how WeSpeaker models embed a speaker: pyannote 3.1/community-1 (default)
                            or pyannote 3.0/sherpa-onnx
  --replay DIR              use pyannote's segmentations.npz / raw_embeddings.npz from DIR instead of the models
  --save-intermediates DIR  write segmentations.npz and raw_embeddings.npz to DIR (the layout --replay reads)
  --models-dir DIR          installed models (default MODELS_DIR or models/weights)
  --provider cpu|cuda       onnxruntime execution provider (default cpu)
  --threads N               threads per model (default: onnxruntime's choice)
${TRANSCRIPT_USAGE}${VOICEPRINT_USAGE}`;

/** pyannote's intermediates come from its own embedding model. */
const REPLAY_EMBEDDING = 'wespeaker-resnet34-lm';

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine({
    format: { type: 'string', default: 'json' },
    'embed-audio': { type: 'boolean', default: false },
    'num-speakers': { type: 'string' },
    'min-speakers': { type: 'string' },
    'max-speakers': { type: 'string' },
    exclusive: { type: 'boolean', default: false },
    recipe: { type: 'string' },
    embedding: { type: 'string' },
    replay: { type: 'string' },
    preset: { type: 'string' },
    'window-step': { type: 'string' },
    'embedding-method': { type: 'string' },
    'save-intermediates': { type: 'string' },
    'models-dir': { type: 'string' },
    provider: { type: 'string' },
    threads: { type: 'string' },
    ...TRANSCRIPT_OPTIONS,
    ...VOICEPRINT_OPTIONS,
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one audio file, got ${positionals.length} (see --help)`);
  const file = positionals[0];
  const format = oneOf(values.format, ['json', 'rttm', 'html', 'srt', 'vtt'] as const, '--format')!;
  const transcript = readTranscriptOption(values, format);
  const voices = readVoiceOptions(values);
  if (values['embed-audio'] && format !== 'html') throw new UsageError('--embed-audio works only with --format html');
  const provider = oneOf(values.provider, ['cpu', 'cuda'] as const, '--provider');
  const replay = values.replay ? loadReplayFolder(values.replay) : undefined;
  const speakers = speakerOptions(values);

  const settings = cliEngineSettings(values);
  const engine = await DiarizationEngine.load({
    ...settings,
    executionProviders: provider === 'cuda' ? (['cuda', 'cpu'] as ExecutionProvider[]) : ['cpu'],
    intraOpThreads: positiveInteger(values.threads, '--threads'),
    embeddingMethod: oneOf(values['embedding-method'], EMBEDDING_METHODS, '--embedding-method'),
  });
  try {
    const diarized = await engine.diarize(file, {
      ...speakers,
      // a transcript is attributed from the exclusive diarization
      exclusive: values.exclusive || transcript !== null,
      recipe: oneOf(values.recipe, RECIPES, '--recipe'),
      embedding: values.embedding ?? (replay?.embeddings ? REPLAY_EMBEDDING : undefined),
      replay,
      preset: oneOf(values.preset, Object.keys(PRESETS) as Preset[], '--preset'),
      windowStep: positiveNumber(values['window-step'], '--window-step'),
      saveIntermediates: values['save-intermediates'],
      returnEmbeddings: voices.returnEmbeddings,
      voiceprints: await enrollVoiceprints(engine, voices.voiceprints, values.embedding),
      identifyThreshold: voices.identifyThreshold,
      onProgress: progressBar(),
    });
    // JSON keeps SPEAKER_xx beside "identification"; the other formats name identified speakers
    const result = format === 'json' ? diarized : withIdentifiedNames(diarized);
    const replayedAll = !!replay?.embeddings;
    for (const notice of result.notices) {
      // with replayed embeddings no embedding model ran, so a note about choosing one is noise
      if (!replayedAll) process.stderr.write(`note: ${notice}\n`);
    }
    if (format === 'html') process.stdout.write(await htmlReport({ file, result: asJson(file, result), embedAudio: values['embed-audio'], ffmpegPath: settings.ffmpegPath }));
    else if (isTranscriptOutput(format)) process.stdout.write(transcriptText(transcript!, result, format));
    else if (format === 'rttm') process.stdout.write(toRttm(result.segments, fileId(file)));
    else process.stdout.write(`${JSON.stringify({ ...asJson(file, result), ...voiceJson(result), ...(transcript ? { transcript: attributedTranscript(transcript, result) } : {}) }, null, 2)}\n`);
  } finally {
    await engine.dispose();
  }
  return 0;
}

function fileId(file: string): string {
  return basename(file, extname(file));
}

function asJson(file: string, result: DiarizationResult) {
  return {
    file,
    duration: result.duration,
    recipe: result.recipe,
    exclusive: result.exclusive,
    models: result.models,
    speakers: result.speakers,
    segments: result.segments,
    notices: result.notices,
  };
}

runMain('diarize', main);
