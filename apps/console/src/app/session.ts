/** What the console keeps for this tab only (sessionStorage): the token and speaker names. */
export interface TabStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const TOKEN_KEY = 'diarization.token';
const namesKey = (jobId: string) => `diarization.names.${jobId}`;

export function readToken(storage: TabStorage): string | null {
  return storage.getItem(TOKEN_KEY);
}

export function saveToken(storage: TabStorage, token: string | null): void {
  if (token === null) storage.removeItem(TOKEN_KEY);
  else storage.setItem(TOKEN_KEY, token);
}

export function readNames(storage: TabStorage, jobId: string): Record<string, string> {
  try {
    const parsed = JSON.parse(storage.getItem(namesKey(jobId)) ?? '{}') as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

export function saveNames(storage: TabStorage, jobId: string, names: Readonly<Record<string, string>>): void {
  storage.setItem(namesKey(jobId), JSON.stringify(names));
}

export function forgetJob(storage: TabStorage, jobId: string): void {
  storage.removeItem(namesKey(jobId));
}
