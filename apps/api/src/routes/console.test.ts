import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@diarization/config';
import { makeTempDir } from '../../../../test/support/temp-dir';
import { consoleBuildDir, consoleRoutes } from './console';

/** The console's files as `npm ci` builds them (prepare runs the console's build). */
describe('the console route', () => {
  const routes = consoleRoutes({ logger: silentLogger });

  it('serves the page at / without a token, never cached, with a strict Content-Security-Policy', async () => {
    const response = await routes.request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await response.text();
    // the page loads its hashed script from /assets, and has no inline script
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('serves the hashed assets with a year-long immutable cache, and nothing outside them', async () => {
    const script = readdirSync(join(consoleBuildDir(), 'assets')).find((name) => name.endsWith('.js'))!;
    const response = await routes.request(`/assets/${script}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await routes.request('/assets/missing.js')).status).toBe(404);
    expect((await routes.request('/assets/../index.html')).status).toBe(404);
    expect((await routes.request('/assets/%2e%2e/index.html')).status).toBe(404);
  });

  it('answers 503 with how to build it when the console is not built', async () => {
    const empty = makeTempDir();
    try {
      const response = await consoleRoutes({ logger: silentLogger }, empty.path).request('/');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: expect.stringContaining('npm run build -w @diarization/console') });
    } finally {
      empty.remove();
    }
  });
});
