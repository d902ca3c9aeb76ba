import type { Deps } from '../deps.js';
import type { ChatDirectory } from '../domain/people/chat-directory.js';
import { launchScheduledCampaigns } from '../domain/reviews/launch-scheduled-campaigns.js';
import { escalateOverdueReviews } from '../domain/reviews/escalate-overdue-reviews.js';
import { planReviewRemovals } from '../domain/reviews/plan-review-removals.js';
import { sendExceptionReminders } from '../domain/reviews/send-exception-reminders.js';
import { sendReminders } from '../domain/reviews/send-reminders.js';
import type { JobDefinition } from './scheduler.js';

/**
 * Every 15 minutes: reminders land within a quarter hour of 9:00 in each reviewer's zone, and
 * revocations due at a campaign's close are planned soon after it. Each run is idempotent
 * (dedupe keys, conditional updates), so a slot run twice or a missed slot is harmless.
 */
export const REVIEW_JOB_SCHEDULE = '*/15 * * * *';

/**
 * Every minute: a scheduled campaign launches within a minute of its slot. A run with nothing
 * due is one small query; the unique (template, period) index keeps a slot to one launch.
 */
export const SCHEDULED_LAUNCH_SCHEDULE = '* * * * *';

/** `chat`: Slack's directory, so a scheduled launch looks its chatless reviewers up by email first. */
export function reviewJobs(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'connectors' | 'logger'>, chat?: Pick<ChatDirectory, 'userByEmail'>): JobDefinition[] {
  return [
    {
      name: 'review-reminders',
      schedule: REVIEW_JOB_SCHEDULE,
      run: async () => {
        const r = await sendReminders(deps, deps.clock.now());
        return `queued ${r.queued}, deferred ${r.deferred}`;
      },
    },
    {
      name: 'review-exception-reminders',
      schedule: REVIEW_JOB_SCHEDULE,
      run: async () => {
        const r = await sendExceptionReminders(deps, deps.clock.now());
        return `queued ${r.queued}, deferred ${r.deferred}`;
      },
    },
    {
      name: 'review-escalations',
      schedule: REVIEW_JOB_SCHEDULE,
      run: async () => `escalated ${(await escalateOverdueReviews(deps, deps.clock.now())).escalated}`,
    },
    {
      name: 'review-removals',
      schedule: REVIEW_JOB_SCHEDULE,
      run: async () => {
        const r = await planReviewRemovals(deps);
        return `planned ${r.planned}, failed ${r.failed}`;
      },
    },
    {
      name: 'review-scheduled-launch',
      schedule: SCHEDULED_LAUNCH_SCHEDULE,
      run: async () => {
        const r = await launchScheduledCampaigns(deps, deps.clock.now(), chat);
        return `launched ${r.launched.length}, skipped ${r.skipped}, failed ${r.failed.length}`;
      },
    },
  ];
}
