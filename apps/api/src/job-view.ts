import type { JobRecord, JobStatus } from '@diarization/jobs';
import type { AcceptedJob, JobView } from './openapi/schemas';

export const jobPath = (id: string): string => `/jobs/${id}`;

/** A job as GET /jobs/:id shows it (documented as the `Job` schema). */
export function jobView(record: JobRecord): JobView {
  const self = jobPath(record.id);
  const view: JobView = {
    id: record.id,
    status: record.status,
    progress: { stage: record.stage, percent: record.percent },
    created_at: record.createdAt,
    started_at: record.startedAt,
    finished_at: record.finishedAt,
    attempts: record.attempts,
    links: { self },
  };
  if ((record.status === 'failed' || record.status === 'canceled') && record.error !== null) view.error = record.error;
  // Between attempts: why the last one failed (the job is queued again, not failed).
  if ((record.stage === 'waiting_to_retry' || record.stage === 'waiting_for_storage') && record.lastError !== null) view.last_error = record.lastError;
  if (record.status === 'succeeded' && record.summary !== null) {
    view.result = record.summary;
    view.links = { self, result: `${self}/result`, rttm: `${self}/result?format=rttm` };
  }
  if (record.webhook !== null) view.webhook = record.webhook;
  // links last, as before: clients reading the JSON see the state first
  const { links, ...rest } = view;
  return { ...rest, links };
}

/** The 202 body of a new submission. */
export function acceptedView(id: string, status: JobStatus = 'queued'): AcceptedJob {
  return { id, status, links: { self: jobPath(id) } };
}

/** The 202 body for a job that exists already (a replay, a timed-out POST /diarize): its status now. */
export async function currentAcceptedView(records: { get(id: string): Promise<JobRecord | null> }, id: string): Promise<AcceptedJob> {
  return acceptedView(id, (await records.get(id))?.status ?? 'queued');
}
