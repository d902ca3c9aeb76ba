import type { Deps } from '../../deps.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';
import { findOpenCampaigns, type OpenCampaign } from './find-open-campaigns.js';
import { findPendingReviewers } from './find-pending-reviewers.js';
import { findQueuedKeys } from './find-queued-keys.js';
import { findUnsignedReviewers } from './find-unsigned-reviewers.js';
import { inWorkingHours, readerZone } from './reader-zone.js';
import { reviewReminder } from './reminder-intents.js';

const DAY_MS = 86_400_000;

export interface ReminderReport {
  queued: number;
  /** Reviewers outside their working hours right now: a later run reminds them. */
  deferred: number;
}

/**
 * Reminds reviewers who still have pending items, and those who decided everything but have
 * not signed off (the same reminder asks them to sign: what it says is decided when it is
 * sent), at each of a campaign's reminder offsets
 * (days before the due date). Only the latest offset already reached counts: a job that was
 * down for a week sends one reminder, not three. A reminder waits for 9:00–17:00 in the
 * reviewer's own zone; the dedupe key (campaign, reviewer, offset) makes every run after the
 * first a no-op, on any number of replicas.
 */
export async function sendReminders(deps: Pick<Deps, 'db' | 'clock' | 'config'>, now: Date): Promise<ReminderReport> {
  const report: ReminderReport = { queued: 0, deferred: 0 };
  for (const c of await findOpenCampaigns(deps.db)) {
    const offset = currentOffset(c, now);
    if (offset === null) continue;
    // Reviewers with no Slack user too: their reminder waits (undeliverable) until they are linked.
    const reviewers = [...(c.pending > 0 ? await findPendingReviewers(deps.db, c.id) : []), ...(await findUnsignedReviewers(deps.db, c.id))];
    const intents = reviewers.map((r) => ({ r, intent: reviewReminder(c.id, r.reviewerId, offset) }));
    const queued = await findQueuedKeys(deps.db, intents.map((x) => x.intent.dedupeKey!));
    const due = intents.filter(({ intent }) => !queued.has(intent.dedupeKey!));
    const ready = due.filter(({ r }) => inWorkingHours(now, readerZone(r.slackTz, deps.config.TZ)));
    report.deferred += due.length - ready.length;
    if (ready.length === 0) continue;
    await deps.db.transaction(async (tx) => {
      for (const { r, intent } of ready) {
        if (!(await enqueueMessage(tx, now, intent))) continue;
        report.queued += 1;
        await appendEvidence(tx, deps.clock, {
          actor: 'job:review-reminders',
          action: 'review.reminded',
          subject: { campaign: c.id, reviewer: r.reviewerId },
          payload: { offsetDays: offset, pending: r.pending, dueAt: c.dueAt, ...(r.pending === 0 ? { signOff: true } : {}) },
        });
      }
    });
  }
  return report;
}

/**
 * The smallest offset whose reminder time has passed, while the campaign is still before its
 * due date; null when none applies. A reminder time before the launch is skipped: the review
 * request itself went out after it.
 */
export function currentOffset(c: Pick<OpenCampaign, 'dueAt' | 'launchedAt' | 'reminderOffsetsDays'>, now: Date): number | null {
  if (now.getTime() >= c.dueAt.getTime()) return null;
  const reached = c.reminderOffsetsDays.filter((d) => now.getTime() >= c.dueAt.getTime() - d * DAY_MS);
  if (reached.length === 0) return null;
  const offset = Math.min(...reached);
  const at = c.dueAt.getTime() - offset * DAY_MS;
  if (c.launchedAt && c.launchedAt.getTime() > at) return null;
  return offset;
}
