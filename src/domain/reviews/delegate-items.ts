import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person, reviewItem } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';
import { findPersonByEmail } from '../people/find-person.js';
import { lockLaunchedCampaign } from './lock-launched-campaign.js';
import { refuse } from './refuse.js';
import { requireUuid } from './require-uuid.js';
import { reviewRefresh, reviewRequest } from './review-intents.js';

export interface DelegateItemsInput {
  campaignId: string;
  actorPersonId: string;
  toPersonId?: string;
  toPersonEmail?: string;
  /** These items; or all of one person's (`subjectPersonId`); or, with neither, all still pending. */
  itemIds?: string[];
  subjectPersonId?: string;
  reason: string;
}

export interface DelegateItemsResult {
  delegated: number;
  /** Named items that were already decided, and so stayed where they were. */
  alreadyDecided: number;
  to: { personId: string; name: string; email: string };
}

/**
 * A reviewer hands items to someone else, with a reason: the items' reviewer becomes the
 * delegate, and `delegated_from_id` keeps who handed them over (who may still decide them).
 * The delegate gets the review DM, or a refresh of the one they already have.
 */
export async function delegateItems(deps: Pick<Deps, 'db' | 'clock'>, input: DelegateItemsInput): Promise<DelegateItemsResult> {
  const campaignId = requireUuid(input.campaignId, 'campaign');
  requireUuid(input.actorPersonId, 'person');
  const reason = input.reason?.trim();
  if (!reason) throw new AppError('INVALID_INPUT', 'Say why you are handing these items to someone else', { field: 'reason' });
  const to = await resolveDelegate(deps, input);
  if (to.id === input.actorPersonId) throw new AppError('INVALID_INPUT', 'These items are already yours', { field: 'to' });
  const itemIds = input.itemIds?.map((id) => requireUuid(id, 'review item'));
  const subjectId = input.subjectPersonId ? requireUuid(input.subjectPersonId, 'person') : null;

  if (itemIds?.length) {
    const named = await deps.db.select({ id: reviewItem.id, reviewerId: reviewItem.reviewerId }).from(reviewItem).where(and(eq(reviewItem.campaignId, campaignId), inArray(reviewItem.id, itemIds)));
    if (named.length !== new Set(itemIds).size) throw new AppError('NOT_FOUND', 'Some of these items are not in this campaign');
    if (named.some((r) => r.reviewerId !== input.actorPersonId)) {
      throw await refuse(deps, {
        actorPersonId: input.actorPersonId,
        attempted: 'review.delegate',
        subject: { campaign: campaignId },
        reason: 'not the assigned reviewer',
        message: 'You can only hand over items assigned to you.',
      });
    }
  }

  return deps.db.transaction(async (tx) => {
    await lockLaunchedCampaign(tx, campaignId);
    const now = deps.clock.now();
    const which = itemIds?.length ? inArray(reviewItem.id, itemIds) : subjectId ? sql`${reviewItem.snapshot}->>'personId' = ${subjectId}` : sql`true`;
    const where = and(eq(reviewItem.campaignId, campaignId), eq(reviewItem.reviewerId, input.actorPersonId), eq(reviewItem.decision, 'pending'), which);
    const [own] = await tx.select({ n: sql<number>`count(*)::int` }).from(reviewItem).where(and(where, sql`${reviewItem.snapshot}->>'personId' = ${to.id}`));
    if ((own?.n ?? 0) > 0) throw new AppError('INVALID_INPUT', `${to.name || to.email} cannot review their own access: leave those items out or pick someone else`, { field: 'to' });
    const moved = await tx
      .update(reviewItem)
      .set({ reviewerId: to.id, delegatedFromId: input.actorPersonId, delegationReason: reason })
      .where(where)
      .returning({ id: reviewItem.id, snapshot: reviewItem.snapshot });
    if (moved.length === 0) throw new AppError('CONFLICT', 'Nothing to hand over: these items are already decided or no longer yours');

    await appendEvidence(
      tx,
      deps.clock,
      moved.map((it) => ({
        actor: `person:${input.actorPersonId}`,
        action: 'review.delegated',
        subject: { campaign: campaignId, item: it.id },
        payload: { itemId: it.id, fromPersonId: input.actorPersonId, toPersonId: to.id, toEmail: to.email, reason, personEmail: it.snapshot.personEmail, resourceName: it.snapshot.resourceName },
      })),
    );
    // The request DM is sent once per campaign and reviewer; a delegate who already has one gets it refreshed.
    if (!(await enqueueMessage(tx, now, reviewRequest(campaignId, to.id)))) await enqueueMessage(tx, now, reviewRefresh(campaignId, to.id));
    await enqueueMessage(tx, now, reviewRefresh(campaignId, input.actorPersonId));
    const alreadyDecided = itemIds?.length ? new Set(itemIds).size - moved.length : 0;
    return { delegated: moved.length, alreadyDecided, to: { personId: to.id, name: to.name, email: to.email } };
  });
}

async function resolveDelegate(deps: Pick<Deps, 'db'>, input: DelegateItemsInput) {
  const found = input.toPersonId
    ? (await deps.db.select().from(person).where(eq(person.id, requireUuid(input.toPersonId, 'person'))))[0]
    : input.toPersonEmail
      ? await findPersonByEmail(deps.db, input.toPersonEmail)
      : undefined;
  if (!input.toPersonId && !input.toPersonEmail) throw new AppError('INVALID_INPUT', 'Name the person to hand the items to', { field: 'to' });
  if (!found) throw new AppError('NOT_FOUND', `No person ${input.toPersonEmail ?? input.toPersonId} in the directory`);
  if (found.status === 'terminated') throw new AppError('INVALID_INPUT', `${found.email} has left the company`, { field: 'to' });
  if (!found.slackUserId) throw new AppError('INVALID_INPUT', `${found.email} has no Slack account linked, so they could not review`, { field: 'to' });
  return found;
}
