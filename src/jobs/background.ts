import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.js';
import type { Deps } from '../deps.js';
import type { ChatDirectory } from '../domain/people/chat-directory.js';
import { WORK_CHANNEL, type WorkKind } from '../domain/work/signal-work.js';
import { findNextTaskDue } from '../domain/lifecycle/find-next-task-due.js';
import { runAutomatedTasks } from '../domain/lifecycle/run-automated-tasks.js';
import { jobsTotal } from '../http/metrics.js';
import { deliveryClientFor } from '../slack/delivery/delivery-client.js';
import type { RendererRegistry } from '../slack/delivery/types.js';
import { slackUserDirectory } from '../slack/user-directory.js';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './deliver-outbox.js';
import { checkpointJob } from './checkpoint-job.js';
import { controlDigestJob } from './control-digest-job.js';
import type { SigningKey } from '../domain/evidence/signing/signing-key.js';
import { reviewJobs } from './review-jobs.js';
import { lifecycleJobs } from './lifecycle-jobs.js';
import { pruneJob } from './prune-job.js';
import { startScheduler, type JobDefinition } from './scheduler.js';
import { linkChatUsersAtStart, syncDirectoryJob } from './sync-directory-job.js';

export interface BackgroundOptions {
  /** The app's bot client; the outbox derives its own non-retrying client from it. */
  slack: WebClient;
  renderers: RendererRegistry;
  /** Pacing and retry settings of the outbox worker. */
  outbox?: Omit<OutboxWorkerOptions, 'slack' | 'renderers'>;
  /** How often automated removals and provisioning run when nothing wakes them (default every minute). */
  automatedTasksEveryMs?: number;
  /** The database's LISTEN, through which committed changes wake this process (and every replica). */
  listen?: Database['listen'];
  /** ATTEST_SIGNING_KEY, loaded once at start: with it, signed checkpoints go out on CHECKPOINT_SCHEDULE. */
  signingKey?: SigningKey | null;
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

  let stopped = false;
  let tasksRun: Promise<void> | undefined;
  // A wake that arrives mid-run may be about a task the run's query did not see: run once more.
  let tasksAgain = false;
  const runTasks = () => {
    if (stopped) return;
    if (tasksRun) {
      tasksAgain = true; // never two runs at once in one process
      return;
    }
    tasksAgain = false;
    tasksRun = runAutomatedTasks(deps, deps.connectors)
      .then((report) => {
        jobsTotal.inc({ job: 'automated-tasks', outcome: 'succeeded' });
        if (report.done + report.retried + report.fellBack > 0) deps.logger.info(report, 'automated tasks ran');
        if (report.claimed === report.limit) tasksAgain = true; // a full batch: more may be due
      })
      .catch((err: unknown) => {
        jobsTotal.inc({ job: 'automated-tasks', outcome: 'failed' });
        deps.logger.error({ err }, 'automated tasks failed');
      })
      .then(() => scheduleNextTasks())
      .finally(() => {
        tasksRun = undefined;
        if (tasksAgain) runTasks();
      });
  };
  // The next task to come due (a future effective time, a retry, a dead worker's lease) runs
  // when it does, not at the next poll.
  let nextTasks: NodeJS.Timeout | undefined;
  const scheduleNextTasks = async () => {
    const at = await findNextTaskDue(deps.db).catch(() => null);
    clearTimeout(nextTasks);
    if (!at || stopped) return;
    const wait = at.getTime() - deps.clock.now().getTime();
    if (wait > 0 && wait < (opts.automatedTasksEveryMs ?? 60_000)) nextTasks = setTimeout(runTasks, wait + 50);
  };
  runTasks();
  // The poll is the safety net; committed changes that make work due now wake us at once.
  const timer = setInterval(runTasks, opts.automatedTasksEveryMs ?? 60_000);
  const wakers: Record<WorkKind, () => void> = { tasks: runTasks, outbox: () => outbox.wake() };
  const listening = opts.listen
    ?.(
      WORK_CHANNEL,
      (payload) => wakers[payload as WorkKind]?.(),
      // (Re)connected: anything signalled while we were not listening is looked at now.
      () => Object.values(wakers).forEach((wake) => wake()),
    )
    .catch((err: unknown) => {
      deps.logger.warn({ err }, 'could not listen for work notifications; falling back to polling');
      return undefined;
    });

  // One directory for the process: its users.lookupByEmail pacing is shared by every launch.
  const directory = slackUserDirectory(opts.slack);
  // In the background: start-up is not held up by a workspace's worth of users.list pages.
  const linkingAtStart = linkChatUsersAtStart(deps, directory);

  const scheduler = startScheduler(deps, scheduledJobs(deps, directory, opts.signingKey ?? null));

  return {
    outbox,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(nextTasks);
      const unlisten = await listening;
      await Promise.all([scheduler.stop(), outbox.stop(), tasksRun, unlisten?.().catch(() => undefined), linkingAtStart]);
    },
  };
}

/** The jobs `serve` schedules, built as it builds them (tests run one by name instead of waiting for its slot). */
export function scheduledJobs(deps: Deps, directory: ChatDirectory, signingKey: SigningKey | null): JobDefinition[] {
  return [
    {
      name: 'sync',
      schedule: deps.config.SYNC_SCHEDULE,
      run: async () => {
        const reports = await syncDirectoryJob(deps, directory);
        return reports.map((r) => `${r.source}:${r.status}`).join(',') || 'no sources';
      },
    },
    // Reminders, escalations and planned removals of campaigns (every 15 minutes); scheduled launches.
    ...reviewJobs(deps, directory),
    // Overdue offboarding tasks and expiring time-bound access (every 15 minutes).
    ...lifecycleJobs(deps),
    // Signed chain heads to the compliance channel, when a signing key is configured.
    ...(signingKey ? [checkpointJob(deps, signingKey)] : []),
    // Weekly (DIGEST_SCHEDULE): the control digest to the compliance channel.
    controlDigestJob(deps),
    // Daily: sent outbox rows, Slack message records and job slots past OPERATIONAL_RETENTION_DAYS.
    pruneJob(deps),
  ];
}
