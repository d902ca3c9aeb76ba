import type { Deps } from '../deps.js';
import { pruneOperational } from '../domain/outbox/prune-operational.js';
import type { JobDefinition } from './scheduler.js';

/**
 * Daily at 03:30 in TZ, when Slack traffic (and the outbox) is quietest. One replica per slot
 * (the scheduler's slot row); a run repeated after a crash finds less or nothing to delete.
 */
export const PRUNE_SCHEDULE = '30 3 * * *';

export function pruneJob(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>): JobDefinition {
  return {
    name: 'prune-operational',
    schedule: PRUNE_SCHEDULE,
    run: async () => {
      const r = await pruneOperational(deps);
      const pruned = { outbox: r.outbox, slackMessages: r.slackMessages, jobSlots: r.jobSlots };
      deps.logger.info({ pruned, olderThan: r.cutoff.toISOString(), retentionDays: deps.config.OPERATIONAL_RETENTION_DAYS }, 'operational data pruned');
      return `pruned outbox ${r.outbox}, slack messages ${r.slackMessages}, job slots ${r.jobSlots}`;
    },
  };
}
