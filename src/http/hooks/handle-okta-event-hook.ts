import { acceptOktaEvents } from '../../domain/lifecycle/accept-okta-events.js';
import type { ConnectorRegistry } from '../../domain/lifecycle/connector-registry.js';
import { constantTimeEqual } from './constant-time.js';
import { parseOktaEvents } from './parse-okta-events.js';
import { header, type HookDeps, type HookRequest, type HookResponse } from './types.js';

/**
 * GET|POST /hooks/okta. Okta authenticates its hooks only with the shared `Authorization`
 * value (no HMAC), so every request, the verification GET included, must carry it. The GET
 * echoes the one-time challenge; a POST delivers events, answered 200 once they are recorded
 * (Okta waits about 3 seconds and does not wait for slow work). Knowing the value is not
 * enough to have anyone offboarded: each event is confirmed with Okta's API first, and one
 * that is not is refused on record and reported to compliance, still with a 200 (Okta would
 * only deliver it again).
 */
export async function handleOktaEventHook(deps: HookDeps, registry: ConnectorRegistry, req: HookRequest): Promise<HookResponse> {
  const secret = deps.config.OKTA_EVENT_HOOK_SECRET;
  if (!secret) return { status: 404, body: { error: 'not found' } };
  if (!constantTimeEqual(header(req, 'authorization'), secret)) return { status: 401, body: { error: 'unauthorized' } };
  const method = req.method.toUpperCase();
  if (method === 'GET') {
    const challenge = header(req, 'x-okta-verification-challenge');
    if (!challenge) return { status: 400, body: { error: 'missing verification challenge', field: 'x-okta-verification-challenge' } };
    return { status: 200, body: { verification: challenge } };
  }
  if (method !== 'POST') return { status: 405, body: { error: 'method not allowed' } };
  const parsed = parseOktaEvents(req.rawBody);
  if (!parsed.ok) return { status: 400, body: { error: parsed.error, field: parsed.field } };
  const report = await acceptOktaEvents(deps, registry, parsed.events);
  const level = report.refused > 0 ? 'warn' : 'info';
  deps.logger[level]({ received: report.received, cases: report.cases.length, ignored: report.ignored, refused: report.refused }, 'okta event hook');
  return { status: 200, body: report };
}
