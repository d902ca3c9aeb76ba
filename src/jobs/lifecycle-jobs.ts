import type { Deps } from '../deps.js';
import { escalateOverdueTasks } from '../domain/lifecycle/escalate-overdue-tasks.js';
import { expireAccess } from '../domain/lifecycle/expire-access.js';
import type { JobDefinition } from './scheduler.js';

/**
 * Every 15 minutes: overdue offboarding tasks escalate to the owner's manager and HR, and
 * time-bound access past its expiry becomes a removal. Both are idempotent (escalated_at,
 * request status), so a slot run twice is harmless.
 */
export const LIFECYCLE_JOB_SCHEDULE = '*/15 * * * *';

export function lifecycleJobs(deps: Deps): JobDefinition[] {
  return [
    {
      name: 'task-escalations',
      schedule: LIFECYCLE_JOB_SCHEDULE,
      run: async () => `escalated ${(await escalateOverdueTasks(deps, deps.clock.now())).escalated}`,
    },
    {
      name: 'access-expiry',
      schedule: LIFECYCLE_JOB_SCHEDULE,
      run: async () => {
        const r = await expireAccess(deps, deps.connectors, deps.clock.now());
        return `expired ${r.expired}, removals ${r.removals}`;
      },
    },
  ];
}
