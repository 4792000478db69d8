import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { readDocument, type DiarizationDocument, type SpeakerNames } from '../timeline/model';
import { ResultView } from '../timeline/ResultView';
import { ApiClient, ApiError, isTerminal, type JobView } from './api';
import { Jobs } from './Jobs';
import { localFiles } from './local-files';
import { forgetJob, readNames, readToken, saveNames, saveToken } from './session';
import { SignIn } from './SignIn';
import { ThemeSwitch } from './ThemeSwitch';
import { Upload } from './Upload';

const POLL_ACTIVE_MS = 1500;
const POLL_IDLE_MS = 10_000;

function useHashRoute(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}

const jobName = (job: Pick<JobView, 'id' | 'filename'>) => job.filename ?? localFiles.get(job.id)?.name ?? `job ${job.id.slice(0, 8)}`;

export function App() {
  const [token, setToken] = useState(() => readToken(sessionStorage));
  const client = useMemo(() => (token ? new ApiClient(token) : null), [token]);
  const signOut = useCallback(() => {
    saveToken(sessionStorage, null);
    setToken(null);
    location.hash = '';
  }, []);
  const hash = useHashRoute();
  const resultId = /^#\/jobs\/([\w-]+)$/.exec(hash)?.[1];

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <h1>
          <a href="#/">Diarization console</a>
        </h1>
        <div class="button-row">
          <ThemeSwitch />
          {client && (
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          )}
        </div>
      </header>
      {!client ? (
        <SignIn
          onSignedIn={(value) => {
            saveToken(sessionStorage, value);
            setToken(value);
          }}
        />
      ) : resultId ? (
        <ResultPage key={resultId} client={client} jobId={resultId} onUnauthorized={signOut} />
      ) : (
        <HomePage client={client} onUnauthorized={signOut} />
      )}
    </>
  );
}

function HomePage({ client, onUnauthorized }: { client: ApiClient; onUnauthorized(): void }) {
  const [jobs, setJobs] = useState<JobView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshes, setRefreshes] = useState(0);
  const refresh = useCallback(() => setRefreshes((n) => n + 1), []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      let active = false;
      try {
        const list = await client.listJobs();
        if (stopped) return;
        setJobs(list.jobs);
        setError(null);
        active = list.jobs.some((job) => !isTerminal(job.status));
      } catch (e) {
        if (stopped) return;
        if (e instanceof ApiError && e.status === 401) return onUnauthorized();
        setError(`could not load the jobs: ${(e as Error).message}`);
      }
      timer = setTimeout(() => void load(), active ? POLL_ACTIVE_MS : POLL_IDLE_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, refreshes, onUnauthorized]);

  return (
    <main id="main" class="home">
      <Upload
        authorization={client.authorization}
        onUploaded={(id, file) => {
          localFiles.remember(id, file.name, file);
          refresh();
        }}
      />
      <Jobs
        jobs={jobs}
        error={error}
        nameOf={jobName}
        onRemove={async (job) => {
          await client.deleteJob(job.id);
          if (isTerminal(job.status)) {
            localFiles.forget(job.id);
            forgetJob(sessionStorage, job.id);
          }
          refresh();
        }}
      />
    </main>
  );
}

type Loaded = { job: JobView; document: DiarizationDocument } | { error: string };

function ResultPage({ client, jobId, onUnauthorized }: { client: ApiClient; jobId: string; onUnauthorized(): void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [names, setNames] = useState<SpeakerNames>(() => readNames(sessionStorage, jobId));
  const local = localFiles.get(jobId);
  const audioUrl = useMemo(() => (local ? URL.createObjectURL(local.blob) : null), [local]);
  useEffect(() => () => {
    if (audioUrl) URL.revokeObjectURL(audioUrl);
  }, [audioUrl]);

  useEffect(() => {
    let stopped = false;
    void (async () => {
      try {
        const job = await client.getJob(jobId);
        const document = readDocument(await client.getResult(jobId));
        if (!stopped) setLoaded({ job, document });
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return onUnauthorized();
        if (!stopped) setLoaded({ error: (e as Error).message });
      }
    })();
    return () => {
      stopped = true;
    };
  }, [client, jobId, onUnauthorized]);

  const name = loaded && 'job' in loaded ? jobName(loaded.job) : `job ${jobId.slice(0, 8)}`;
  return (
    <main id="main" class="result-page">
      <p>
        <a href="#/">← All jobs</a>
      </p>
      <h2>Result: {name}</h2>
      {loaded === null && <p>Loading…</p>}
      {loaded && 'error' in loaded && (
        <p class="error" role="alert">
          {loaded.error}
        </p>
      )}
      {loaded && 'document' in loaded && (
        <ResultView
          document={loaded.document}
          fileId={name.replace(/\.[^.]*$/, '')}
          audio={audioUrl && local ? { src: audioUrl, description: `Playing this browser's copy of ${local.name}.` } : null}
          noAudioReason="No audio to play: the server deletes the audio once a job succeeds, and this tab has no copy of the file (it was uploaded from another tab, or the page was reloaded)."
          names={names}
          onNamesChange={(next) => {
            setNames(next);
            saveNames(sessionStorage, jobId, next);
          }}
        />
      )}
    </main>
  );
}
