import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person, reviewItem } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';
import { EXCEPTION_REMINDER_DAYS } from './exception-terms.js';
import { findQueuedKeys } from './find-queued-keys.js';
import { inWorkingHours, readerZone } from './reader-zone.js';
import { exceptionReminder } from './reminder-intents.js';
import type { ReminderReport } from './send-reminders.js';

const DAY_MS = 86_400_000;

/**
 * Tells whoever kept an item as an exception that it ends within a week, once per item (the
 * dedupe key), in their working hours. Exceptions outlive their campaign, so closed campaigns
 * count too. One kept with less than a week to run is reminded at the next run.
 */
export async function sendExceptionReminders(deps: Pick<Deps, 'db' | 'clock' | 'config'>, now: Date): Promise<ReminderReport> {
  const report: ReminderReport = { queued: 0, deferred: 0 };
  // The one who decided answers for the exception (a delegate, possibly); else the reviewer.
  const recipient = sql<string>`coalesce(${reviewItem.decidedBy}, ${reviewItem.reviewerId})`;
  const rows = await deps.db
    .select({ itemId: reviewItem.id, campaignId: reviewItem.campaignId, recipientId: person.id, slackTz: person.slackTz, endsAt: reviewItem.exceptionEndsAt, control: reviewItem.exceptionControl })
    .from(reviewItem)
    .innerJoin(person, eq(person.id, recipient))
    .where(and(eq(reviewItem.decision, 'kept'), gt(reviewItem.exceptionEndsAt, now), lte(reviewItem.exceptionEndsAt, new Date(now.getTime() + EXCEPTION_REMINDER_DAYS * DAY_MS))));
  if (rows.length === 0) return report;
  const intents = rows.map((r) => ({ r, intent: exceptionReminder(r.campaignId, r.itemId, r.recipientId) }));
  const queued = await findQueuedKeys(deps.db, intents.map((x) => x.intent.dedupeKey!));
  const due = intents.filter(({ intent }) => !queued.has(intent.dedupeKey!));
  const ready = due.filter(({ r }) => inWorkingHours(now, readerZone(r.slackTz, deps.config.TZ)));
  report.deferred = due.length - ready.length;
  if (ready.length === 0) return report;
  await deps.db.transaction(async (tx) => {
    for (const { r, intent } of ready) {
      if (!(await enqueueMessage(tx, now, intent))) continue;
      report.queued += 1;
      await appendEvidence(tx, deps.clock, {
        actor: 'job:review-exception-reminders',
        action: 'review.exception_reminded',
        subject: { campaign: r.campaignId, item: r.itemId },
        payload: { reviewerId: r.recipientId, endsAt: r.endsAt, control: r.control },
      });
    }
  });
  return report;
}
