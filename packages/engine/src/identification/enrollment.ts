import { DiarizationError } from '../errors';
import type { DiarizationResult, VoiceEmbedding } from '../types';

/** Longest voice clip embedVoice accepts (pyannoteAI's voiceprint limit). */
export const VOICE_CLIP_MAX_SECONDS = 30;
/**
 * Least speech of the dominant speaker that makes a voiceprint: the clustering embeds a speaker
 * only where it speaks alone for at least 20 % of a 10 s window (pyannote's clean-speech rule).
 */
export const VOICE_MIN_SPEECH_SECONDS = 2;

/**
 * The voiceprint of a diarized clip (run with returnEmbeddings): the centroid of the speaker with
 * the most speech. Refuses a clip whose dominant speaker speaks too little or has no centroid.
 */
export function dominantVoice(result: DiarizationResult): VoiceEmbedding {
  const dominant = [...result.speakers].sort((a, b) => b.seconds - a.seconds)[0];
  const embedding = result.speakerEmbeddings?.vectors.find((v) => v.speaker === dominant?.speaker)?.embedding;
  if (!dominant || !embedding || dominant.seconds < VOICE_MIN_SPEECH_SECONDS) {
    throw new DiarizationError(
      'NOT_ENOUGH_SPEECH',
      `the voice clip holds ${dominant ? `${dominant.seconds} s of speech of its main speaker, too little of it alone to embed` : 'no speech'}: ` +
        `send a clip where one speaker talks alone for at least ${VOICE_MIN_SPEECH_SECONDS} s`,
    );
  }
  return { model: result.speakerEmbeddings!.model, embedding, speechSeconds: dominant.seconds };
}
