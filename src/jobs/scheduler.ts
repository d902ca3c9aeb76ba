import { hostname } from 'node:os';
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Deps } from '../deps.js';
import { jobsTotal } from '../http/metrics.js';
import { claimSlot, finishSlot, markInterruptedSlots, renewSlot } from './claim-slot.js';

export interface JobDefinition {
  name: string;
  /** Five-field cron expression, evaluated in TZ. */
  schedule: string;
  run(): Promise<string | void>;
}

export interface SchedulerOptions {
  /** How long a claimed slot stays ours without a renewal; renewed every third of it while the job runs. */
  slotLeaseMs?: number;
}

const DEFAULT_SLOT_LEASE_MS = 60_000;

/**
 * The only file that imports node-cron. Each slot of each job runs on one replica, once. A
 * slot whose replica died mid-run is marked `interrupted`; at start, a job whose latest slot
 * was interrupted runs once again (every job is safe to repeat).
 */
export function startScheduler(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>,
  jobs: JobDefinition[],
  opts: SchedulerOptions = {},
): { stop(): Promise<void>; resumed: Promise<string[]> } {
  const me = `${hostname()}:${process.pid}`;
  const leaseMs = opts.slotLeaseMs ?? DEFAULT_SLOT_LEASE_MS;
  const renewals = new Map<string, NodeJS.Timeout>();

  const claim = async (job: string, key: string): Promise<boolean> => {
    await markInterruptedSlots(deps.db, deps.clock.now());
    if (!(await claimSlot(deps.db, job, key, me, deps.clock.now(), leaseMs))) return false;
    const timer = setInterval(() => {
      renewSlot(deps.db, job, key, me, deps.clock.now(), leaseMs).catch((err: unknown) => deps.logger.warn({ err, job }, 'could not renew the job slot lease'));
    }, leaseMs / 3);
    timer.unref();
    renewals.set(`${job}\n${key}`, timer);
    return true;
  };
  const finish = async (job: string, key: string): Promise<void> => {
    clearInterval(renewals.get(`${job}\n${key}`));
    renewals.delete(`${job}\n${key}`);
    await finishSlot(deps.db, job, key, 'finished', deps.clock.now());
  };
  const coordinator = (job: string): RunCoordinator => ({ shouldRun: (key) => claim(job, key), onComplete: (key) => finish(job, key) });

  const execute = async (job: JobDefinition): Promise<void> => {
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
  };

  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.schedule, () => execute(job), {
      name: job.name,
      timezone: deps.config.TZ,
      noOverlap: true,
      distributed: true,
      runCoordinator: coordinator(job.name),
    }),
  );

  // A job cut short by a crash (or by the hard exit at shutdown) runs again now, on one replica.
  const resumed = (async () => {
    const interrupted = new Set(await markInterruptedSlots(deps.db, deps.clock.now()));
    const again: string[] = [];
    for (const job of jobs.filter((j) => interrupted.has(j.name))) {
      const key = `resumed:${deps.clock.now().toISOString()}`;
      if (!(await claim(job.name, key))) continue;
      deps.logger.warn({ job: job.name }, 'the last run of this job was interrupted; running it again');
      try {
        await execute(job);
      } finally {
        await finish(job.name, key);
      }
      again.push(job.name);
    }
    return again;
  })().catch((err: unknown) => {
    deps.logger.error({ err }, 'could not resume interrupted jobs');
    return [];
  });

  return {
    resumed,
    stop: async () => {
      for (const t of tasks) await t.stop();
      await resumed;
    },
  };
}
