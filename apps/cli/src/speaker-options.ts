import { CLI_SPEAKER_FLAGS, speakerBoundsIssues } from '@diarization/engine/io';
import { positiveInteger } from './arguments';
import { UsageError } from './run-main';

export interface SpeakerFlags {
  'num-speakers'?: string;
  'min-speakers'?: string;
  'max-speakers'?: string;
}

/**
 * --num-speakers, --min-speakers and --max-speakers as engine options, checked with the
 * engine's own rules (packages/engine/src/speaker-bounds-schema.ts: 1..MAX_SPEAKERS,
 * min <= max, num between them) before any model is loaded, in the flags' names.
 */
export function speakerOptions(values: SpeakerFlags): { numSpeakers?: number; minSpeakers?: number; maxSpeakers?: number } {
  const counts = {
    num: positiveInteger(values['num-speakers'], CLI_SPEAKER_FLAGS.num),
    min: positiveInteger(values['min-speakers'], CLI_SPEAKER_FLAGS.min),
    max: positiveInteger(values['max-speakers'], CLI_SPEAKER_FLAGS.max),
  };
  const issue = speakerBoundsIssues(counts, CLI_SPEAKER_FLAGS)[0];
  if (issue) throw new UsageError(`${issue.field} ${issue.message}`);
  return { numSpeakers: counts.num, minSpeakers: counts.min, maxSpeakers: counts.max };
}
