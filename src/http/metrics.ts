import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Every HTTP answer, by matched route (`unmatched` for 404s, so scanners cannot blow up cardinality). */
  httpRequests: Counter<'route' | 'status'>;
  /** Slack deliveries that passed signature checks: command, event, block_actions, view_submission… */
  slackRequests: Counter<'kind'>;
  /** Scheduled and background jobs: `outcome` is succeeded, failed or skipped (another replica held the lock). */
  jobs: Counter<'job' | 'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'attest_http_requests_total',
      help: 'HTTP requests answered, by route and status',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
    slackRequests: new Counter({
      name: 'attest_slack_requests_total',
      help: 'Verified requests from Slack, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'attest_jobs_total',
      help: 'Job runs, by job and outcome',
      labelNames: ['job', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

/**
 * The process's metrics. One shared instance on purpose: /metrics describes the whole process,
 * and jobs, listeners and routes must count into the registry that /metrics serves.
 */
export const metrics: Metrics = createMetrics();

/** The counters by their metric names, for code that only counts (jobs, the outbox). */
export const httpRequestsTotal = metrics.httpRequests;
export const slackRequestsTotal = metrics.slackRequests;
export const jobsTotal = metrics.jobs;
