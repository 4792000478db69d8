import { useState } from 'preact/hooks';
import { isTerminal, type JobView } from './api';

interface JobsProps {
  jobs: readonly JobView[] | null;
  error: string | null;
  nameOf(job: JobView): string;
  onRemove(job: JobView): Promise<void>;
}

const STATUS_TEXT: Record<JobView['status'], string> = {
  queued: 'Queued',
  processing: 'Processing',
  succeeded: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
};

function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** The caller's jobs with live progress; view, cancel and delete (delete asks once more). */
export function Jobs({ jobs, error, nameOf, onRemove }: JobsProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const remove = async (job: JobView) => {
    setBusy(job.id);
    setActionError(null);
    try {
      await onRemove(job);
    } catch (e) {
      setActionError((e as Error).message);
    } finally {
      setBusy(null);
      setConfirming(null);
    }
  };

  return (
    <section class="card jobs" aria-labelledby="jobs-title">
      <h2 id="jobs-title">Jobs</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {actionError && (
        <p class="error" role="alert">
          {actionError}
        </p>
      )}
      {jobs === null ? (
        <p>Loading…</p>
      ) : jobs.length === 0 ? (
        <p>No jobs yet: upload a file to start one.</p>
      ) : (
        <ul class="job-list">
          {jobs.map((job) => {
            const name = nameOf(job);
            const percent = job.progress?.percent ?? 0;
            const ended = isTerminal(job.status);
            return (
              <li key={job.id} class={`job job-${job.status}`} data-job-id={job.id}>
                <div class="job-head">
                  <span class="job-name">{name}</span>
                  <span class={`status status-${job.status}`}>{STATUS_TEXT[job.status]}</span>
                </div>
                {!ended && (
                  <div class="job-progress">
                    <progress max={100} value={percent} aria-label={`Progress of ${name}`} />
                    <span>
                      {job.progress?.stage ?? job.status} {percent}%
                    </span>
                  </div>
                )}
                {job.error && <p class="job-error">{job.error.message}</p>}
                {job.result && (
                  <p class="hint">
                    {job.result.num_speakers} speakers · {job.result.num_segments} turns · {Math.round(job.result.duration)} s
                  </p>
                )}
                <p class="hint">Created {when(job.created_at)}</p>
                <div class="button-row">
                  {job.status === 'succeeded' && (
                    <a class="button primary" href={`#/jobs/${job.id}`}>
                      View result<span class="visually-hidden"> of {name}</span>
                    </a>
                  )}
                  {!ended && (
                    <button type="button" disabled={busy === job.id} onClick={() => void remove(job)}>
                      Cancel<span class="visually-hidden"> {name}</span>
                    </button>
                  )}
                  {ended && confirming !== job.id && (
                    <button type="button" onClick={() => setConfirming(job.id)}>
                      Delete<span class="visually-hidden"> {name}</span>
                    </button>
                  )}
                  {ended && confirming === job.id && (
                    <>
                      <button type="button" class="danger" disabled={busy === job.id} onClick={() => void remove(job)}>
                        Delete for good<span class="visually-hidden"> {name}</span>
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
