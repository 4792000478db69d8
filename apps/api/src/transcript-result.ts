import type { StoredResult } from '@diarization/jobs';
import { toSrt, toVtt } from '@diarization/transcripts';
import { HttpError } from './errors';

/** The formats of a job's speaker-attributed transcript (GET /jobs/:id/result?format=srt|vtt). */
export const TRANSCRIPT_RESULT_FORMATS = ['srt', 'vtt'] as const;
export type TranscriptResultFormat = (typeof TRANSCRIPT_RESULT_FORMATS)[number];

/** The job's transcript as SRT or WebVTT, speakers named; 409 when the job came without one. */
export function transcriptDocument(result: StoredResult, format: TranscriptResultFormat): { body: string; contentType: string } {
  if (result.transcript === undefined) {
    throw new HttpError(409, `the job was submitted without a transcript, so there is no ${format}: send one with the audio (field "transcript") or use format=json or rttm`);
  }
  return format === 'srt'
    ? { body: toSrt(result.transcript), contentType: 'application/x-subrip; charset=utf-8' }
    : { body: toVtt(result.transcript), contentType: 'text/vtt; charset=utf-8' };
}
