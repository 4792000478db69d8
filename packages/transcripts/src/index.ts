export { TRANSCRIPT_FORMATS, TranscriptError, type Transcript, type TranscriptFormat, type TranscriptSegment, type TranscriptWord, type TimedText } from './types';
export { parseTranscript, detectTranscriptFormat, MAX_TRANSCRIPT_BYTES, type ParseTranscriptOptions } from './parse';
export { whisperVerboseJsonSchema, type WhisperVerboseJson } from './whisper';
export { parseSrt } from './srt';
export { parseVtt } from './vtt';
export {
  attributeTranscript,
  DEFAULT_SILENCE_TOLERANCE_SECONDS,
  type AttributeOptions,
  type AttributedSegment,
  type AttributedTranscript,
  type AttributedWord,
  type SpeakerTurn,
} from './attribute';
export { speakerCues, toSrt, toVtt, type SpeakerCue } from './format';
