/** The job API as the console uses it: same origin, a bearer token, the API's own error messages. */

export type JobStatus = 'queued' | 'processing' | 'succeeded' | 'failed' | 'canceled';

export interface JobView {
  id: string;
  status: JobStatus;
  progress?: { stage: string; percent: number };
  created_at?: string | null;
  finished_at?: string | null;
  filename?: string | null;
  error?: { code: string; message: string };
  result?: { duration: number; num_speakers: number; num_segments: number };
}

export interface JobList {
  jobs: JobView[];
  next_cursor: string | null;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export const isTerminal = (status: JobStatus) => status === 'succeeded' || status === 'failed' || status === 'canceled';

/** The API's `{"error": "..."}`, else a sentence with the status. */
export function errorMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string' && parsed.error) return parsed.error;
  } catch {
    // not JSON: a proxy's page, say
  }
  if (status === 0) return 'the server could not be reached';
  return `the server answered ${status}`;
}

export class ApiClient {
  constructor(private readonly token: string) {}

  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  private async request(path: string, init: { method?: string } = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(path, { method: init.method ?? 'GET', headers: { Authorization: this.authorization } });
    } catch {
      throw new ApiError('the server could not be reached', 0);
    }
    if (!response.ok) throw new ApiError(errorMessage(response.status, await response.text()), response.status);
    return response;
  }

  async listJobs(limit = 50): Promise<JobList> {
    return (await (await this.request(`/jobs?limit=${limit}`)).json()) as JobList;
  }

  async getJob(id: string): Promise<JobView> {
    return (await (await this.request(`/jobs/${encodeURIComponent(id)}`)).json()) as JobView;
  }

  async getResult(id: string): Promise<unknown> {
    return (await this.request(`/jobs/${encodeURIComponent(id)}/result?format=json`)).json();
  }

  /** Cancels a job that has not ended, deletes one that has. */
  async deleteJob(id: string): Promise<void> {
    await this.request(`/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }
}
