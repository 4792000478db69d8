import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../app-env';
import type { ApiServices } from '../services';

/** The console's build output (`npm run build -w @diarization/console`, run by `npm ci`'s prepare). */
export function consoleBuildDir(): string {
  return join(dirname(require.resolve('@diarization/console/package.json')), 'dist', 'app');
}

/**
 * Scripts, styles and requests from this origin only: the console has no inline script or style
 * (Preact sets positions through the CSSOM, which CSP allows), and plays the user's own file
 * through a blob: URL.
 */
const consoleHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    mediaSrc: ["'self'", 'blob:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

/** Vite names assets by content hash, so a browser may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The web console at `/` (no auth: the page asks for the token) and its assets under `/assets`. */
export function consoleRoutes(services: Pick<ApiServices, 'logger'>, buildDir: string = consoleBuildDir()): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const indexPath = join(buildDir, 'index.html');
  const indexHtml = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : null;
  if (indexHtml === null) services.logger.warn('the web console is not built; / answers 503', { hint: 'npm run build -w @diarization/console' });

  app.use('/', consoleHeaders);
  app.use('/assets/*', consoleHeaders);
  app.get('/', (c) => {
    if (indexHtml === null) {
      return c.json({ error: 'the web console is not built: run `npm run build -w @diarization/console` (npm ci does it)' }, 503);
    }
    // the page names the current hashed assets: always ask again
    c.header('Cache-Control', 'no-cache');
    return c.html(indexHtml);
  });
  if (indexHtml !== null) {
    app.use('/assets/*', async (c, next) => {
      await next();
      if (c.res.ok) c.res.headers.set('Cache-Control', IMMUTABLE);
    });
    app.use('/assets/*', serveStatic({ root: buildDir }));
  }
  return app;
}
