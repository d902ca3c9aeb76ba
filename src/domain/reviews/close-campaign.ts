import { and, eq, ne, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { accessGrant, campaign, reviewItem, type Campaign } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { DRIFT_KIND } from '../drift/drift-campaign.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';
import { createRevokeRequests } from './create-revoke-requests.js';
import { decisionEvent } from './decision-event.js';
import { getCampaign } from './get-campaign.js';
import { requireUuid } from './require-uuid.js';
import { campaignSummary } from './review-intents.js';

export const NO_RESPONSE_REASON = 'no response by due date';

export interface CloseResult {
  campaign: Campaign;
  items: number;
  approved: number;
  revoked: number;
  /** Kept as exceptions: decided, so the non-response rule never touches them. */
  kept: number;
  /** Revoked by this close under the `revoke` non-response rule. */
  autoRevoked: number;
  /** Left undecided and flagged under the `flag` rule. */
  undecided: number;
}

/**
 * Ends a campaign. Items nobody decided follow its non-response rule: `flag` leaves them
 * undecided and records how many; `revoke` revokes them as the system, each with a revoke
 * request, exactly as a reviewer's revoke would. Taking the campaign row's lock first makes
 * a decision in flight either finish before the close or be refused after it.
 */
export async function closeCampaign(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: { campaignId: string; actor: string }): Promise<CloseResult> {
  const id = requireUuid(input.campaignId, 'campaign');
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [closed] = await tx
      .update(campaign)
      .set({ status: 'closed', closedAt: now })
      .where(and(eq(campaign.id, id), eq(campaign.status, 'launched'), ne(campaign.kind, DRIFT_KIND)))
      .returning();
    if (!closed) {
      const c = await getCampaign(tx, id);
      // The standing campaign of unapproved access is never closed: access keeps appearing.
      if (c.kind === DRIFT_KIND) throw new AppError('CONFLICT', `Campaign "${c.name}" holds unapproved access as it is found and is never closed`);
      throw new AppError('CONFLICT', c.status === 'closed' ? `Campaign "${c.name}" is already closed` : `Campaign "${c.name}" was never launched`);
    }
    let autoRevoked = 0;
    if (closed.nonResponse === 'revoke') {
      const pending = await tx
        .select({ id: reviewItem.id, campaignId: reviewItem.campaignId, grantId: reviewItem.grantId, snapshot: reviewItem.snapshot, hints: reviewItem.hints, accountId: accessGrant.accountId })
        .from(reviewItem)
        .leftJoin(accessGrant, eq(accessGrant.id, reviewItem.grantId))
        .where(and(eq(reviewItem.campaignId, id), eq(reviewItem.decision, 'pending')));
      await tx
        .update(reviewItem)
        .set({ decision: 'revoked', decidedBy: null, decidedAt: now, reason: NO_RESPONSE_REASON, removalTiming: 'now' })
        .where(and(eq(reviewItem.campaignId, id), eq(reviewItem.decision, 'pending')));
      const revoked = await createRevokeRequests(
        tx,
        now,
        'system',
        pending.map((it) => ({ ...it, reason: NO_RESPONSE_REASON, removalTiming: 'now' as const })),
      );
      const decided = pending.map((it) => decisionEvent(it, { decision: 'revoked', reason: NO_RESPONSE_REASON, removalTiming: 'now', at: now, reviewer: null }));
      await appendEvidence(tx, deps.clock, [...decided, ...revoked.events]);
      autoRevoked = pending.length;
    }
    const [counts] = await tx
      .select({
        items: sql<number>`count(*)::int`,
        approved: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'approved'))::int`,
        revoked: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'revoked'))::int`,
        kept: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'kept'))::int`,
        undecided: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'pending'))::int`,
      })
      .from(reviewItem)
      .where(eq(reviewItem.campaignId, id));
    const totals = { items: counts?.items ?? 0, approved: counts?.approved ?? 0, revoked: counts?.revoked ?? 0, kept: counts?.kept ?? 0, undecided: counts?.undecided ?? 0 };
    await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'campaign.closed',
      subject: { campaign: id },
      payload: { name: closed.name, nonResponse: closed.nonResponse, ...totals, autoRevoked, dueAt: closed.dueAt, closedAt: now },
    });
    await enqueueMessage(tx, now, campaignSummary(id, deps.config.COMPLIANCE_CHANNEL ?? null));
    return { campaign: closed, ...totals, autoRevoked };
  });
}
