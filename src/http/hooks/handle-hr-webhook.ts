import { acceptHrEvent } from '../../domain/lifecycle/accept-hr-event.js';
import type { ConnectorRegistry } from '../../domain/lifecycle/connector-registry.js';
import { HTTP_STATUS, isAppError } from '../../errors.js';
import { parseHrEvent } from './parse-hr-event.js';
import type { HookDeps, HookResponse } from './types.js';
import { verifyHrSignature } from './verify-hr-signature.js';

/**
 * POST /hooks/hr (DESIGN.md): 401 bad or stale signature, checked before the body is even
 * parsed; 400 `{error, field}`; 422 a person we do not know; 202 `{case_id}` accepted; 200
 * with the same `case_id` for an event id already accepted. Nothing is created unless 202.
 */
export async function handleHrWebhook(
  deps: HookDeps,
  registry: ConnectorRegistry,
  req: { rawBody: string; signatureHeader: string | undefined },
): Promise<HookResponse> {
  const secret = deps.config.HR_WEBHOOK_SECRET;
  if (!secret) return { status: 404, body: { error: 'not found' } };
  if (!verifyHrSignature(secret, req.signatureHeader, req.rawBody, deps.clock.now())) {
    return { status: 401, body: { error: 'bad or stale signature' } };
  }
  const parsed = parseHrEvent(req.rawBody, deps.config.TZ);
  if (!parsed.ok) return { status: 400, body: { error: parsed.error, field: parsed.field } };
  try {
    const result = await acceptHrEvent(deps, registry, parsed.event);
    return { status: result.replay ? 200 : 202, body: { case_id: result.caseId } };
  } catch (err) {
    if (!isAppError(err)) throw err;
    if (err.code === 'NOT_FOUND') return { status: 422, body: { error: err.message } };
    if (err.code === 'INVALID_INPUT') return { status: 400, body: { error: err.message, field: err.field ?? 'body' } };
    deps.logger.warn({ err, event: parsed.event.id }, 'hr webhook refused');
    return { status: HTTP_STATUS[err.code], body: { error: err.message } };
  }
}
