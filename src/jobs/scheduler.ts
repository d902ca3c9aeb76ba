import { hostname } from 'node:os';
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Deps } from '../deps.js';
import { jobsTotal } from '../http/metrics.js';
import { claimSlot, finishSlot } from './claim-slot.js';

export interface JobDefinition {
  name: string;
  /** Five-field cron expression, evaluated in TZ. */
  schedule: string;
  run(): Promise<string | void>;
}

/** The only file that imports node-cron. Each slot of each job runs on one replica, once. */
export function startScheduler(deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>, jobs: JobDefinition[]): { stop(): Promise<void> } {
  const me = `${hostname()}:${process.pid}`;
  const coordinator = (job: string): RunCoordinator => ({
    shouldRun: (key) => claimSlot(deps.db, job, key, me, deps.clock.now()),
    onComplete: (key) => finishSlot(deps.db, job, key, 'finished', deps.clock.now()),
  });
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        const log = deps.logger.child({ job: job.name });
        try {
          const outcome = (await job.run()) ?? 'ok';
          jobsTotal.inc({ job: job.name, outcome: 'succeeded' });
          log.info({ outcome }, 'job finished');
        } catch (err) {
          // A failed job is logged and counted; the next slot tries again.
          jobsTotal.inc({ job: job.name, outcome: 'failed' });
          log.error({ err }, 'job failed');
        }
      },
      {
        name: job.name,
        timezone: deps.config.TZ,
        noOverlap: true,
        distributed: true,
        runCoordinator: coordinator(job.name),
      },
    ),
  );
  return {
    stop: async () => {
      for (const t of tasks) await t.stop();
    },
  };
}
