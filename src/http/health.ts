import type { RouteGroup } from './types.js';
import { sendJson } from './respond.js';

/** A ping slower than this counts as down: a probe must answer before the orchestrator gives up. */
const PING_TIMEOUT_MS = 2000;

/**
 * /healthz says the process answers (restart me if not); /readyz says it can do work, i.e. the
 * database answers (send me no traffic if not). Keeping them apart stops a database outage from
 * turning into a restart loop.
 */
export const healthRoutes: RouteGroup = (deps) => ({
  '/healthz': {
    GET: (_req, res) => sendJson(res, 200, { status: 'ok' }),
  },
  '/readyz': {
    GET: async (_req, res) => {
      try {
        await withTimeout(deps.database.ping(), PING_TIMEOUT_MS);
        sendJson(res, 200, { status: 'ready' });
      } catch (err) {
        deps.logger.warn({ err }, 'readiness check failed: database did not answer');
        sendJson(res, 503, { status: 'unavailable', reason: 'database' });
      }
    },
  },
});

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
