import { Counter, Gauge } from 'prom-client';
import { outboxUndeliverableTotal } from '../../domain/outbox/undeliverable-metrics.js';
import { metrics } from '../../http/metrics.js';

/**
 * Registered on the process registry that /metrics serves. `outcome`: sent, skipped,
 * undeliverable, coalesced, retried, rate_limited, failed, released (handed back at shutdown).
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

/** Counted by the enqueue helpers (domain code, which knows no registry) and by the worker. */
if (!metrics.registry.getSingleMetric('attest_outbox_undeliverable_total')) metrics.registry.registerMetric(outboxUndeliverableTotal);

/**
 * Messages waiting for their recipient to have a Slack user, now, by kind. Set by the worker's
 * periodic pass (a scrape-time query would need a database handle in the registry); alert on
 * it staying above zero.
 */
export const outboxUndeliverable = new Gauge({
  name: 'attest_outbox_undeliverable',
  help: 'Outbox messages currently undeliverable because their recipient has no Slack user, by kind',
  labelNames: ['kind'] as const,
  registers: [metrics.registry],
});
