import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';

export const BEARER_SCHEME = 'bearer';

/** Registers the bearer scheme; every operation needs it unless it says `security: []`. */
export function registerSecurity(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    description: 'One of the tokens in DIARIZATION_TOKEN. A job belongs to the token that created it.',
  });
}

/** The OpenAPI 3.1 document of every route declared with createRoute. */
export function openApiDocument(app: OpenAPIHono<AppEnv>, version: string): object {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Speaker diarization API',
      version,
      description:
        'Self-hosted speaker diarization (pyannote\'s pipeline on onnxruntime). Submit audio with POST /jobs, poll GET /jobs/{id}, fetch the result. ' +
        'Every answer carries X-Request-Id (yours when you send a sane one); errors are `{"error": "..."}`. ' +
        '/health, /openapi.json and /docs need no token.',
    },
    security: [{ [BEARER_SCHEME]: [] }],
    tags: [
      { name: 'Jobs', description: 'Asynchronous diarization jobs.' },
      { name: 'Legacy', description: "The old service's blocking call." },
      { name: 'Service', description: 'Health and documentation.' },
    ],
  });
}
