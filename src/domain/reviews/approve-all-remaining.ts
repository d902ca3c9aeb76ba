import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person, reviewItem } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';
import { decisionEvent } from './decision-event.js';
import { lockLaunchedCampaign } from './lock-launched-campaign.js';
import { requireUuid } from './require-uuid.js';
import { reviewRefresh } from './review-intents.js';
import { startSecondLevel } from './start-second-level.js';

export interface ApproveAllInput {
  campaignId: string;
  actorPersonId: string;
  /** Only this person's items ("Approve all for <name>"); all of the reviewer's otherwise. */
  subjectPersonId?: string | null;
}

export interface ApproveAllResult {
  /** Items approved by this call (0 on a repeated click: they were approved by the first). */
  approved: number;
  /** Items about the reviewer's own access (within the filter), left pending: nobody approves their own access. */
  skippedOwnAccess: number;
  /** The reviewer's items still pending afterwards (their own access, or other people's when filtered). */
  remaining: number;
}

/**
 * "Approve all remaining" / "Approve all for <name>": every pending item assigned to this
 * reviewer in one UPDATE, with one `review.decided` event per item (appended as a batch). Only
 * items assigned to the actor are touched, so there is nothing to refuse: someone else's click
 * approves nothing.
 */
export async function approveAllRemaining(deps: Pick<Deps, 'db' | 'clock'>, input: ApproveAllInput): Promise<ApproveAllResult> {
  const campaignId = requireUuid(input.campaignId, 'campaign');
  const subjectId = input.subjectPersonId ? requireUuid(input.subjectPersonId, 'person') : null;
  const [actor] = await deps.db
    .select({ id: person.id, email: person.email, name: person.name, slackUserId: person.slackUserId })
    .from(person)
    .where(eq(person.id, requireUuid(input.actorPersonId, 'person')));
  if (!actor) throw new AppError('FORBIDDEN', "You're not in the directory, so you can't decide review items.");
  if (subjectId === actor.id) throw new AppError('FORBIDDEN', "You can't approve your own access.");

  return deps.db.transaction(async (tx) => {
    const c = await lockLaunchedCampaign(tx, campaignId);
    const now = deps.clock.now();
    const mine = and(eq(reviewItem.campaignId, campaignId), eq(reviewItem.reviewerId, actor.id), eq(reviewItem.decision, 'pending'));
    const notOwn = sql`(${reviewItem.snapshot}->>'personId') is distinct from ${actor.id}`;
    const forSubject = subjectId ? sql`${reviewItem.snapshot}->>'personId' = ${subjectId}` : sql`true`;
    // A second-level item handed to its first approver stays pending: decideItem refuses it too.
    const notFirstApprover = sql`(${reviewItem.hints}->'firstReview'->>'decidedById') is distinct from ${actor.id}`;
    const approved = await tx
      .update(reviewItem)
      .set({ decision: 'approved', decidedBy: actor.id, decidedAt: now })
      .where(and(mine, notOwn, forSubject, notFirstApprover))
      .returning({
        id: reviewItem.id,
        campaignId: reviewItem.campaignId,
        grantId: reviewItem.grantId,
        snapshot: reviewItem.snapshot,
        hints: reviewItem.hints,
        reviewerId: reviewItem.reviewerId,
        delegatedFromId: reviewItem.delegatedFromId,
        level: reviewItem.level,
      });
    await appendEvidence(tx, deps.clock, [
      ...approved.map((it) => decisionEvent(it, { decision: 'approved', reason: null, removalTiming: null, at: now, reviewer: actor, bulk: true })),
      // Approved privileged items of a second-level campaign go on to their resource's owner.
      ...(await startSecondLevel(tx, now, c, actor, approved)),
    ]);
    const [counts] = await tx
      .select({ remaining: sql<number>`count(*)::int`, own: sql<number>`(count(*) filter (where not ${notOwn} and ${forSubject}))::int` })
      .from(reviewItem)
      .where(mine);
    if (approved.length > 0) await enqueueMessage(tx, now, reviewRefresh(campaignId, actor.id));
    return { approved: approved.length, skippedOwnAccess: counts?.own ?? 0, remaining: counts?.remaining ?? 0 };
  });
}
