import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import { metrics } from './metrics.js';
import { sendError, sendJson } from './respond.js';
import type { Routes } from './types.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface HttpServerOptions {
  routes: Routes;
  /** Bolt's request listener (HTTP mode); absent in Socket Mode, where the path answers 404. */
  slackListener?: RequestListener | undefined;
  logger: Logger;
}

export interface RunningHttpServer {
  server: Server;
  port: number;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

/** One node:http server for Slack, probes, metrics and webhooks, all on PORT. */
export async function startHttpServer(opts: HttpServerOptions, port: number, host?: string): Promise<RunningHttpServer> {
  const server = createServer((req, res) => {
    handle(opts, req, res).catch((err: unknown) => sendError(res, err, opts.logger));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Idle keep-alive sockets would otherwise hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}

async function handle(opts: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  let route = 'unmatched';
  res.once('finish', () => metrics.httpRequests.inc({ route, status: String(res.statusCode) }));

  if (path === SLACK_EVENTS_PATH && opts.slackListener) {
    route = path;
    if (method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
    // Bolt reads the raw body, checks the signature and timestamp (401), then dispatches.
    opts.slackListener(req, res);
    return;
  }
  const methods = opts.routes[path];
  if (!methods) return sendJson(res, 404, { error: 'not found' });
  route = path;
  const handler = methods[method] ?? (method === 'HEAD' ? methods.GET : undefined);
  if (!handler) {
    return sendJson(res, 405, { error: 'method not allowed' }, { allow: Object.keys(methods).join(', ') });
  }
  await handler(req, res);
}
