import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { campaign, person } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { createCampaign } from '../reviews/create-campaign.js';
import { launchCampaign } from '../reviews/launch-campaign.js';

export interface MoverReviewInput {
  personId: string;
  reason: string;
  /** The manager after the move, who reviews what the person keeps from the old role. */
  newManagerId: string | null;
  actor?: string;
  /** Campaign owner (fallback reviewer); default the first admin. */
  ownerEmail?: string;
}

/**
 * A mover keeps access from the old role until someone decides otherwise, so a move opens a
 * one-person review of everything they hold, reviewed by the new manager and due in
 * MOVER_REVIEW_DAYS. Built on the campaign machinery (create, then launch), inside one
 * transaction when the caller passes a transaction as `deps.db`.
 */
export async function startMoverReview(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: MoverReviewInput,
): Promise<{ campaignId: string; items: number }> {
  const actor = input.actor ?? 'system:mover';
  return deps.db.transaction(async (tx) => {
    const [p] = await tx.select().from(person).where(eq(person.id, input.personId));
    if (!p) throw new AppError('NOT_FOUND', `No person ${input.personId}`);
    const now = deps.clock.now();
    if (input.newManagerId && input.newManagerId !== p.managerId && input.newManagerId !== p.id) {
      await tx.update(person).set({ managerId: input.newManagerId, updatedAt: now }).where(eq(person.id, p.id));
    }
    const inTx = { ...deps, db: tx };
    const draft = await createCampaign(inTx, {
      name: `Mover review: ${p.name || p.email} (${input.reason})`,
      dueAt: new Date(now.getTime() + deps.config.MOVER_REVIEW_DAYS * 86_400_000),
      scope: { personIds: [p.id] },
      reviewerRule: 'manager',
      nonResponse: 'flag',
      ...(input.ownerEmail ? { ownerEmail: input.ownerEmail } : {}),
      actor,
    });
    await tx.update(campaign).set({ kind: 'mover' }).where(eq(campaign.id, draft.id));
    const launched = await launchCampaign(inTx, { campaignId: draft.id, actor });
    await appendEvidence(tx, deps.clock, {
      actor,
      action: 'mover.review_started',
      subject: { person: p.id, campaign: draft.id },
      payload: { reason: input.reason, newManagerId: input.newManagerId, items: launched.summary.items },
    });
    return { campaignId: draft.id, items: launched.summary.items };
  });
}
