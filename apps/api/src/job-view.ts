import type { JobRecord, JobStatus } from '@diarization/jobs';

export const jobPath = (id: string): string => `/jobs/${id}`;

/** A job as GET /jobs/:id shows it. */
export function jobView(record: JobRecord): Record<string, unknown> {
  const self = jobPath(record.id);
  const view: Record<string, unknown> = {
    id: record.id,
    status: record.status,
    progress: { stage: record.stage, percent: record.percent },
    created_at: record.createdAt,
    started_at: record.startedAt,
    finished_at: record.finishedAt,
    attempts: record.attempts,
  };
  if ((record.status === 'failed' || record.status === 'canceled') && record.error !== null) view.error = record.error;
  // Between attempts: why the last one failed (the job is queued again, not failed).
  if ((record.stage === 'waiting_to_retry' || record.stage === 'waiting_for_storage') && record.lastError !== null) view.last_error = record.lastError;
  const links: Record<string, string> = { self };
  if (record.status === 'succeeded' && record.summary !== null) {
    view.result = record.summary;
    links.result = `${self}/result`;
    links.rttm = `${self}/result?format=rttm`;
  }
  if (record.webhook !== null) view.webhook = record.webhook;
  view.links = links;
  return view;
}

/** The 202 body of a new submission. */
export function acceptedView(id: string, status: JobStatus = 'queued'): Record<string, unknown> {
  return { id, status, links: { self: jobPath(id) } };
}

/** The 202 body for a job that exists already (a replay, a timed-out POST /diarize): its status now. */
export async function currentAcceptedView(records: { get(id: string): Promise<JobRecord | null> }, id: string): Promise<Record<string, unknown>> {
  return acceptedView(id, (await records.get(id))?.status ?? 'queued');
}
