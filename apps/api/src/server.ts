import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, ServiceConfig } from '@diarization/config';
import { redisReady } from '@diarization/jobs';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { createApiServices, type ApiServices } from './services';

export interface RunningApi {
  url: string;
  port: number;
  services: ApiServices;
  close(): Promise<void>;
}

/** Builds the services and serves the API; storage and Redis may still be down (503 until up). */
export async function startApi(config: ServiceConfig, logger: Logger): Promise<RunningApi> {
  const log = logger.child({ component: 'api' });
  const services = createApiServices(config, log);
  await redisReady(services.redis, 5000).catch(() => log.warn('redis is not reachable yet; answering 503 until it is'));
  await services.store.init().catch((error: unknown) =>
    log.warn('storage is not reachable yet; answering 503 until it is', { storage: services.store.description, error }),
  );
  const app = createApp(services);
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(started as Server));
  });
  // Uploads of long recordings over slow links: no request timeout, idle sockets still close.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  const port = (server.address() as AddressInfo).port;
  log.info('api listening', { host: config.host, port, storage: services.store.description });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    services,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await services.close();
    },
  };
}
