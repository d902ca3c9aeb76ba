import type { ConnectorRegistry } from '../../domain/lifecycle/connector-registry.js';
import { handleHrWebhook } from './handle-hr-webhook.js';
import { handleOktaEventHook } from './handle-okta-event-hook.js';
import { header, type HookDeps, type HookHandler } from './types.js';

export const HR_HOOK_PATH = '/hooks/hr';
export const OKTA_HOOK_PATH = '/hooks/okta';

/**
 * Path → handler for the webhooks whose secret is configured (an unconfigured hook is not
 * mounted at all, so it answers 404 like any unknown path). Handlers take the raw body and
 * headers and return `{status, body}`; the server only has to read the body and write JSON.
 */
export function hookRoutes(deps: HookDeps, registry: ConnectorRegistry): Record<string, HookHandler> {
  const routes: Record<string, HookHandler> = {};
  if (deps.config.HR_WEBHOOK_SECRET) {
    routes[HR_HOOK_PATH] = async (req) =>
      req.method.toUpperCase() === 'POST'
        ? handleHrWebhook(deps, registry, { rawBody: req.rawBody, signatureHeader: header(req, 'x-attest-signature') })
        : { status: 405, body: { error: 'method not allowed' } };
  }
  if (deps.config.OKTA_EVENT_HOOK_SECRET) {
    routes[OKTA_HOOK_PATH] = (req) => handleOktaEventHook(deps, registry, req);
  }
  return routes;
}
