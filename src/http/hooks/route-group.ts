import type { IncomingMessage, ServerResponse } from 'node:http';
import { registryFromConfig } from '../../domain/lifecycle/registry-from-config.js';
import { sendJson } from '../respond.js';
import type { RouteGroup, Routes } from '../types.js';
import { OKTA_HOOK_PATH, hookRoutes } from './hook-routes.js';

/** Webhook bodies are small JSON documents; anything larger is refused before it is buffered. */
const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

/**
 * The webhooks as a route group for src/http/routes.ts: reads the raw body (signatures are
 * over the exact bytes), hands `{method, headers, rawBody}` to the handler, writes its answer.
 */
export const hooksRouteGroup: RouteGroup = (deps) => {
  const handlers = hookRoutes(deps, registryFromConfig(deps.config, deps.logger));
  const routes: Routes = {};
  for (const [path, handler] of Object.entries(handlers)) {
    const route = async (req: IncomingMessage, res: ServerResponse) => {
      let rawBody: string;
      try {
        rawBody = await readBody(req);
      } catch (err) {
        if (err instanceof BodyTooLarge) return sendJson(res, 413, { error: 'body too large' });
        throw err;
      }
      const answer = await handler({ method: req.method ?? 'GET', headers: req.headers, rawBody });
      sendJson(res, answer.status, answer.body);
    };
    routes[path] = path === OKTA_HOOK_PATH ? { GET: route, POST: route } : { POST: route };
  }
  return routes;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
