import { useRef, useState } from 'preact/hooks';
import { errorMessage } from './api';

type SpeakerMode = 'auto' | 'exact' | 'range';

interface UploadProps {
  authorization: string;
  onUploaded(jobId: string, file: File): void;
}

interface UploadOptions {
  mode: SpeakerMode;
  numSpeakers: string;
  minSpeakers: string;
  maxSpeakers: string;
  exclusive: boolean;
  webhookUrl: string;
}

function formFor(file: File, options: UploadOptions): FormData {
  const form = new FormData();
  // options first: the API checks them before it stores the file
  if (options.mode === 'exact' && options.numSpeakers) form.append('num_speakers', options.numSpeakers);
  if (options.mode === 'range') {
    if (options.minSpeakers) form.append('min_speakers', options.minSpeakers);
    if (options.maxSpeakers) form.append('max_speakers', options.maxSpeakers);
  }
  if (options.exclusive) form.append('exclusive', 'true');
  if (options.webhookUrl.trim()) form.append('webhook_url', options.webhookUrl.trim());
  form.append('file', file, file.name);
  return form;
}

/** Pick or drop a file, choose options, upload with a progress bar (XMLHttpRequest: fetch has no upload progress). */
export function Upload({ authorization, onUploaded }: UploadProps) {
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [options, setOptions] = useState<UploadOptions>({ mode: 'auto', numSpeakers: '2', minSpeakers: '', maxSpeakers: '', exclusive: false, webhookUrl: '' });
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const request = useRef<XMLHttpRequest | null>(null);
  const set = (patch: Partial<UploadOptions>) => setOptions((current) => ({ ...current, ...patch }));

  const choose = (picked: File | undefined) => {
    if (!picked) return;
    setFile(picked);
    setError(null);
    setDone(null);
  };

  const submit = (event: Event) => {
    event.preventDefault();
    if (!file) {
      setError('choose an audio or video file first');
      return;
    }
    setError(null);
    setDone(null);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    xhr.open('POST', '/jobs');
    xhr.setRequestHeader('Authorization', authorization);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      request.current = null;
      setProgress(null);
      if (xhr.status === 202) {
        const { id } = JSON.parse(xhr.responseText) as { id: string };
        setDone(`Uploaded ${file.name}: job ${id.slice(0, 8)} is queued.`);
        onUploaded(id, file);
      } else {
        setError(errorMessage(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = () => {
      request.current = null;
      setProgress(null);
      setError('the upload failed: the server could not be reached');
    };
    xhr.onabort = () => {
      request.current = null;
      setProgress(null);
      setError('upload canceled');
    };
    xhr.send(formFor(file, options));
  };

  const uploading = progress !== null;
  return (
    <section class="card upload" aria-labelledby="upload-title">
      <h2 id="upload-title">New diarization</h2>
      <form onSubmit={submit} noValidate>
        <div
          class={`dropzone${dragging ? ' dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            choose(e.dataTransfer?.files[0]);
          }}
        >
          <label for="upload-file">Audio or video file</label>
          <input id="upload-file" type="file" accept="audio/*,video/*" disabled={uploading} onChange={(e) => choose((e.currentTarget as HTMLInputElement).files?.[0])} />
          <p class="hint">{file ? `Selected: ${file.name} (${(file.size / 1e6).toFixed(1)} MB)` : 'or drop a file here'}</p>
        </div>

        <fieldset>
          <legend>Number of speakers</legend>
          {(
            [
              ['auto', 'Find out'],
              ['exact', 'Exactly'],
              ['range', 'Between'],
            ] as const
          ).map(([mode, label]) => (
            <label key={mode} class="inline">
              <input type="radio" name="speaker-mode" value={mode} checked={options.mode === mode} onChange={() => set({ mode })} /> {label}
            </label>
          ))}
          {options.mode === 'exact' && (
            <div class="field">
              <label for="num-speakers">Speakers</label>
              <input id="num-speakers" type="number" min={1} max={50} inputMode="numeric" value={options.numSpeakers} onInput={(e) => set({ numSpeakers: (e.currentTarget as HTMLInputElement).value })} />
            </div>
          )}
          {options.mode === 'range' && (
            <div class="field-row">
              <div class="field">
                <label for="min-speakers">At least</label>
                <input id="min-speakers" type="number" min={1} max={50} inputMode="numeric" value={options.minSpeakers} onInput={(e) => set({ minSpeakers: (e.currentTarget as HTMLInputElement).value })} />
              </div>
              <div class="field">
                <label for="max-speakers">At most</label>
                <input id="max-speakers" type="number" min={1} max={50} inputMode="numeric" value={options.maxSpeakers} onInput={(e) => set({ maxSpeakers: (e.currentTarget as HTMLInputElement).value })} />
              </div>
            </div>
          )}
        </fieldset>

        <label class="inline">
          <input type="checkbox" checked={options.exclusive} onChange={(e) => set({ exclusive: (e.currentTarget as HTMLInputElement).checked })} /> One speaker at a time
          (exclusive, for aligning transcripts)
        </label>

        <div class="field">
          <label for="webhook-url">Webhook URL (optional)</label>
          <input id="webhook-url" type="url" placeholder="https://app.example.com/webhooks/diarization" value={options.webhookUrl} onInput={(e) => set({ webhookUrl: (e.currentTarget as HTMLInputElement).value })} />
        </div>

        <div class="button-row">
          <button type="submit" class="primary" disabled={uploading}>
            Upload and diarize
          </button>
          {uploading && (
            <button type="button" onClick={() => request.current?.abort()}>
              Cancel upload
            </button>
          )}
        </div>
        {uploading && (
          <div class="upload-progress">
            <label for="upload-progress">Uploading {progress}%</label>
            <progress id="upload-progress" max={100} value={progress ?? 0} />
          </div>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {done && (
          <p class="success" role="status">
            {done}
          </p>
        )}
      </form>
    </section>
  );
}
