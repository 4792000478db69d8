import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { createRouter, errorResponses } from '../openapi/router';

/** Swagger UI's files we serve (nothing else of the package): name -> content type. */
const SWAGGER_ASSETS: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};
export const DOCS_ASSETS_PATH = '/docs/assets';

/** The page: Swagger UI from our own assets, pointed at /openapi.json; no request leaves the service. */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Diarization API</title>
  <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_ASSETS_PATH}/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="${DOCS_ASSETS_PATH}/favicon-16x16.png" sizes="16x16">
</head>
<body>
  <main id="swagger-ui"></main>
  <script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_ASSETS_PATH}/init.js"></script>
</body>
</html>
`;

/** A separate file, not an inline script, so that a strict Content-Security-Policy can stay on. */
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // no online validator badge: the page works offline
  validatorUrl: null,
  persistAuthorization: false,
});
`;

const swaggerDir = (): string => dirname(require.resolve('swagger-ui-dist/package.json'));

/** Read once, on first request, then kept (about 2 MB). */
const assetCache = new Map<string, Promise<Buffer>>();
function asset(name: string): Promise<Buffer> {
  let cached = assetCache.get(name);
  if (cached === undefined) {
    cached = readFile(join(swaggerDir(), name));
    cached.catch(() => assetCache.delete(name));
    assetCache.set(name, cached);
  }
  return cached;
}

const noAuth = { security: [] as Record<string, string[]>[] };

const documentRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  tags: ['Service'],
  summary: 'This document (OpenAPI 3.1); no token needed',
  ...noAuth,
  responses: {
    200: { description: 'The OpenAPI document.', content: { 'application/json': { schema: z.object({}).passthrough().openapi({ description: 'OpenAPI 3.1' }) } } },
  },
});

const pageRoute = createRoute({
  method: 'get',
  path: '/docs',
  tags: ['Service'],
  summary: 'Interactive documentation (Swagger UI, served offline); no token needed',
  ...noAuth,
  responses: { 200: { description: 'The HTML page.', content: { 'text/html': { schema: z.string() } } } },
});

const assetRoute = createRoute({
  method: 'get',
  path: `${DOCS_ASSETS_PATH}/{name}`,
  tags: ['Service'],
  summary: "The documentation page's scripts, styles and icons; no token needed",
  ...noAuth,
  request: { params: z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' } }) }) },
  responses: {
    200: { description: 'The file.', content: { 'text/javascript': { schema: z.string() }, 'text/css': { schema: z.string() }, 'image/png': { schema: z.string().openapi({ format: 'binary' }) } } },
    ...errorResponses([404], { 404: 'No such file.' }),
  },
});

/**
 * GET /openapi.json and GET /docs (no auth). `document` builds the OpenAPI document of the
 * whole app; it is built on the first request, when every route is mounted, and kept.
 */
export function docsRoutes(document: () => object): OpenAPIHono<AppEnv> {
  let built: object | undefined;
  const router = createRouter();
  router.openapi(documentRoute, (c) => c.json((built ??= document()) as Record<string, never>, 200));
  router.openapi(pageRoute, (c) => c.html(PAGE, 200));
  router.get(`${DOCS_ASSETS_PATH}/init.js`, (c) => c.body(INIT_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  router.openapi(assetRoute, async (c) => {
    const { name } = c.req.valid('param');
    const contentType = Object.hasOwn(SWAGGER_ASSETS, name) ? SWAGGER_ASSETS[name] : undefined;
    if (contentType === undefined) return c.json({ error: `no documentation file named ${name}` }, 404);
    const body = await asset(name);
    return c.body(new Uint8Array(body), 200, { 'content-type': contentType, 'cache-control': 'public, max-age=86400' });
  });
  return router;
}
