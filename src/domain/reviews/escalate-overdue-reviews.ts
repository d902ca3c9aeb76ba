import { inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';
import { findOpenCampaigns } from './find-open-campaigns.js';
import { findPendingReviewers } from './find-pending-reviewers.js';
import { findQueuedKeys } from './find-queued-keys.js';
import { reviewEscalation } from './reminder-intents.js';

/**
 * After a campaign's due date, each reviewer who still has pending items is escalated once:
 * to their manager (when they have one; a manager not yet in Slack gets it once linked) and to
 * COMPLIANCE_CHANNEL (when set). The dedupe keys make it once per reviewer and audience however
 * often the job runs; the evidence event records who was told.
 */
export async function escalateOverdueReviews(deps: Pick<Deps, 'db' | 'clock' | 'config'>, now: Date): Promise<{ escalated: number }> {
  const channel = deps.config.COMPLIANCE_CHANNEL ?? null;
  let escalated = 0;
  for (const c of await findOpenCampaigns(deps.db)) {
    if (c.dueAt.getTime() > now.getTime() || c.pending === 0) continue;
    const reviewers = await findPendingReviewers(deps.db, c.id);
    const managerIds = [...new Set(reviewers.map((r) => r.managerId).filter((id): id is string => Boolean(id)))];
    const managers = new Map<string, { id: string; email: string }>();
    for (let i = 0; i < managerIds.length; i += 1000) {
      const rows = await deps.db.select({ id: person.id, email: person.email }).from(person).where(inArray(person.id, managerIds.slice(i, i + 1000)));
      for (const m of rows) managers.set(m.id, m);
    }
    const plans = reviewers.map((r) => {
      const manager = r.managerId ? managers.get(r.managerId) : undefined;
      return {
        r,
        managerEmail: manager?.email ?? null,
        intents: [
          ...(manager ? [reviewEscalation(c.id, r.reviewerId, 'manager', { personId: manager.id })] : []),
          ...(channel ? [reviewEscalation(c.id, r.reviewerId, 'compliance', { channel })] : []),
        ],
      };
    });
    const queued = await findQueuedKeys(deps.db, plans.flatMap((p) => p.intents.map((i) => i.dedupeKey!)));
    const todo = plans.map((p) => ({ ...p, intents: p.intents.filter((i) => !queued.has(i.dedupeKey!)) })).filter((p) => p.intents.length > 0);
    if (todo.length === 0) continue;
    await deps.db.transaction(async (tx) => {
      for (const { r, intents, managerEmail } of todo) {
        const told: string[] = [];
        for (const intent of intents) if (await enqueueMessage(tx, now, intent)) told.push(String(intent.payload.audience));
        if (told.length === 0) continue;
        escalated += 1;
        await appendEvidence(tx, deps.clock, {
          actor: 'job:review-escalations',
          action: 'review.escalated',
          // The export keys escalations by campaign and reviewer, and names the manager by email.
          subject: { campaign: c.id, reviewer: r.reviewerId },
          payload: { pending: r.pending, dueAt: c.dueAt, notified: told, ...(told.includes('manager') && managerEmail ? { toEmail: managerEmail } : {}) },
        });
      }
    });
  }
  return { escalated };
}
