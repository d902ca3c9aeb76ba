import { WebClient } from '@slack/web-api';
import { toBoltLogger, type Logger } from '../../logger.js';

/**
 * The outbox's own WebClient, on the same API URL and token as the app's. A rate-limited call
 * is rejected at once (`rejectRateLimitedCalls`) and nothing is retried inside the client: the
 * outbox reschedules the row at Retry-After and retries with its own backoff, where a client
 * sleeping on a 429 would hold a delivery slot and its lock for the whole wait.
 */
export function deliveryClient(settings: { token: string; apiUrl: string; timeoutMs?: number }, logger: Logger): WebClient {
  return new WebClient(settings.token, {
    slackApiUrl: settings.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: settings.timeoutMs ?? 10_000,
    logger: toBoltLogger(logger),
  });
}

/** The same, derived from the app's client (which keeps its interactive retry policy). */
export function deliveryClientFor(app: WebClient, logger: Logger): WebClient {
  if (!app.token) throw new Error('the Slack client has no token');
  return deliveryClient({ token: app.token, apiUrl: app.slackApiUrl }, logger);
}
