import { Counter } from 'prom-client';
import { metrics } from '../../http/metrics.js';

/**
 * Registered on the process registry that /metrics serves. `outcome`: sent, skipped,
 * coalesced, retried, rate_limited, failed, released (handed back at shutdown).
 */
export const outboxDeliveriesTotal = new Counter({
  name: 'attest_outbox_deliveries_total',
  help: 'Outbox rows handled by the delivery worker, by kind and outcome',
  labelNames: ['kind', 'outcome'] as const,
  registers: [metrics.registry],
});

/** Slack calls made by the worker (posts and updates), successful or not. */
export const slackCallsTotal = new Counter({
  name: 'attest_outbox_slack_calls_total',
  help: 'Slack Web API calls made by the outbox worker, by method',
  labelNames: ['method'] as const,
  registers: [metrics.registry],
});
