import { Counter } from 'prom-client';

/**
 * Messages recorded as undeliverable (their recipient has no Slack user), when queued or when
 * found so at delivery. Created without a registry so the domain does not reach up into the
 * HTTP layer: `slack/delivery/metrics.ts` registers it on the registry /metrics serves.
 */
export const outboxUndeliverableTotal = new Counter({
  name: 'attest_outbox_undeliverable_total',
  help: 'Outbox messages recorded as undeliverable because their recipient has no Slack user, by kind',
  labelNames: ['kind'] as const,
  registers: [],
});
