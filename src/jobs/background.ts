import type { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { runAutomatedTasks } from '../domain/lifecycle/run-automated-tasks.js';
import { jobsTotal } from '../http/metrics.js';
import { deliveryClientFor } from '../slack/delivery/delivery-client.js';
import type { RendererRegistry } from '../slack/delivery/types.js';
import { slackUserDirectory } from '../slack/user-directory.js';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './deliver-outbox.js';
import { reviewJobs } from './review-jobs.js';
import { lifecycleJobs } from './lifecycle-jobs.js';
import { startScheduler } from './scheduler.js';
import { syncDirectoryJob } from './sync-directory-job.js';

export interface BackgroundOptions {
  /** The app's bot client; the outbox derives its own non-retrying client from it. */
  slack: WebClient;
  renderers: RendererRegistry;
  /** Pacing and retry settings of the outbox worker. */
  outbox?: Omit<OutboxWorkerOptions, 'slack' | 'renderers'>;
  /** How often automated removals and provisioning run (default every minute). */
  automatedTasksEveryMs?: number;
}

export interface BackgroundWork {
  outbox: OutboxWorker;
  /** Stops the scheduler and the task loop, and lets the in-flight sends finish. */
  stop(): Promise<void>;
}

/**
 * What `serve` runs beside the HTTP server: outbox delivery (continuously), automated tasks
 * against the identity providers (every minute, and once at start so a restart resumes them at
 * once), the scheduled directory sync and the campaign jobs. Each is safe on several replicas: outbox rows and
 * tasks are claimed with conditional updates, scheduler slots with one row per slot.
 */
export function startBackgroundWork(deps: Deps, opts: BackgroundOptions): BackgroundWork {
  const outbox = startOutboxWorker(deps, {
    ...opts.outbox,
    slack: deliveryClientFor(opts.slack, deps.logger),
    renderers: opts.renderers,
  });

  let tasksRun: Promise<void> | undefined;
  const runTasks = () => {
    if (tasksRun) return; // the previous run is still going: never two at once in one process
    tasksRun = runAutomatedTasks(deps, deps.connectors)
      .then((report) => {
        jobsTotal.inc({ job: 'automated-tasks', outcome: 'succeeded' });
        if (report.done + report.retried + report.fellBack > 0) deps.logger.info(report, 'automated tasks ran');
      })
      .catch((err: unknown) => {
        jobsTotal.inc({ job: 'automated-tasks', outcome: 'failed' });
        deps.logger.error({ err }, 'automated tasks failed');
      })
      .finally(() => {
        tasksRun = undefined;
      });
  };
  runTasks();
  const timer = setInterval(runTasks, opts.automatedTasksEveryMs ?? 60_000);

  const scheduler = startScheduler(deps, [
    {
      name: 'sync',
      schedule: deps.config.SYNC_SCHEDULE,
      run: async () => {
        const reports = await syncDirectoryJob(deps, slackUserDirectory(opts.slack));
        return reports.map((r) => `${r.source}:${r.status}`).join(',') || 'no sources';
      },
    },
    // Reminders, escalations and planned removals of campaigns (every 15 minutes).
    ...reviewJobs(deps),
    // Overdue offboarding tasks and expiring time-bound access (every 15 minutes).
    ...lifecycleJobs(deps),
  ]);

  return {
    outbox,
    stop: async () => {
      clearInterval(timer);
      await Promise.all([scheduler.stop(), outbox.stop(), tasksRun]);
    },
  };
}
