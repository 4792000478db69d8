import { useState } from 'preact/hooks';
import { ApiClient } from './api';

/** Asks for a token and checks it against the API before keeping it (for this tab only). */
export function SignIn({ onSignedIn }: { onSignedIn(token: string): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) {
      setError('enter the API token (one of DIARIZATION_TOKEN)');
      return;
    }
    setChecking(true);
    setError(null);
    try {
      await new ApiClient(candidate).listJobs(1);
      onSignedIn(candidate);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setChecking(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <section class="card" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        <form onSubmit={(e) => void submit(e)}>
          <div class="field">
            <label for="token">API token</label>
            <input id="token" type="password" autoComplete="current-password" value={token} onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <p class="hint">Kept in this tab only, and sent to this server as a bearer token.</p>
          <button type="submit" class="primary" disabled={checking}>
            Sign in
          </button>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </form>
      </section>
    </main>
  );
}
