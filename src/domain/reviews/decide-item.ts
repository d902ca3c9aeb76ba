import { and, eq, or } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person, reviewItem } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { DRIFT_KIND, campaignCloses } from '../drift/drift-campaign.js';
import { driftRefresh } from '../drift/drift-intents.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { enqueueMessages } from '../outbox/enqueue-messages.js';
import { createRevokeRequests } from './create-revoke-requests.js';
import { decisionEvent, type DecidingReviewer } from './decision-event.js';
import { checkExceptionTerms } from './exception-terms.js';
import { loadItem, type LoadedItem } from './load-item.js';
import { lockLaunchedCampaign } from './lock-launched-campaign.js';
import { MESSAGES, refuse } from './refuse.js';
import { reviewRefresh } from './review-intents.js';
import { startSecondLevel } from './start-second-level.js';
import { isUuid } from './require-uuid.js';
import type { Decider } from './types.js';

/** Matches nobody: a malformed actor id is refused like an unknown one, not a database error. */
const NO_ONE = '00000000-0000-0000-0000-000000000000';

export interface DecideItemInput {
  itemId: string;
  decision: 'approved' | 'revoked' | 'kept';
  /** Required for a revoke. */
  reason?: string | null;
  /** Required to keep an item as an exception: the compensating control and when it ends. */
  exceptionControl?: string | null;
  exceptionEndsAt?: Date | null;
  actorPersonId: string;
  /** Revokes only: remove now (default) or when the campaign closes. */
  removalTiming?: 'now' | 'close';
  /** A retry with the same key is answered as the original success (Slack retries a slow ack). */
  idempotencyKey?: string | null;
}

export type DecideItemResult =
  | { outcome: 'recorded'; itemId: string; campaignId: string; decision: 'approved' | 'revoked' | 'kept'; decidedAt: Date; decidedBy: Decider; requestId: string | null; replayed: boolean; removalTiming?: 'now' | 'close' | null }
  | { outcome: 'already_decided'; itemId: string; campaignId: string; decision: 'approved' | 'revoked' | 'kept'; decidedAt: Date | null; decidedBy: Decider; reason: string | null };

/**
 * Records one reviewer's decision, exactly once. The conditional UPDATE (`decision = 'pending'`)
 * is the arbiter between double clicks, Slack retries and replicas: one wins and writes the
 * evidence; the others are told who decided first and when. The refresh of the reviewer's DM is
 * queued here (a `review.refresh` intent), so the caller only renders its own reply.
 */
export async function decideItem(deps: Pick<Deps, 'db' | 'clock'>, input: DecideItemInput): Promise<DecideItemResult> {
  const loaded = await loadItem(deps.db, input.itemId);
  const { item } = loaded;
  const actor = await deps.db
    .select({ id: person.id, email: person.email, name: person.name, slackUserId: person.slackUserId })
    .from(person)
    .where(eq(person.id, isUuid(input.actorPersonId) ? input.actorPersonId : NO_ONE))
    .then((r) => r[0]);
  const subject = { campaign: item.campaignId, item: item.id };
  const attempted = `review.${input.decision === 'revoked' ? 'revoke' : input.decision === 'kept' ? 'keep' : 'approve'}`;
  const refusal = refusalFor(item, actor?.id);
  if (refusal || !actor) throw await refuse(deps, { actorPersonId: input.actorPersonId, attempted, subject, ...(refusal ?? UNKNOWN_ACTOR) });

  if (input.decision !== 'approved' && input.decision !== 'revoked' && input.decision !== 'kept') throw new AppError('INVALID_INPUT', 'A decision is approved, revoked or kept', { field: 'decision' });
  const exception = input.decision === 'kept' ? checkExceptionTerms(input.exceptionControl, input.exceptionEndsAt, deps.clock.now()) : null;
  const reason = input.reason?.trim() || null;
  if (input.decision === 'revoked' && !reason) throw new AppError('INVALID_INPUT', 'Say why this access should be revoked', { field: 'reason' });
  const timing = input.decision === 'revoked' ? (input.removalTiming ?? 'now') : null;
  if (timing && timing !== 'now' && timing !== 'close') throw new AppError('INVALID_INPUT', 'Removal timing is now or close', { field: 'removalTiming' });

  const recorded = await deps.db.transaction(async (tx) => {
    const c = await lockLaunchedCampaign(tx, item.campaignId);
    const now = deps.clock.now();
    // Unapproved access (the drift campaign) is already in use, and its campaign never closes:
    // a decision on it is after the fact, and a revoke removes now.
    const drift = c.kind === DRIFT_KIND;
    const removalTiming = timing && !campaignCloses(c.kind) ? 'now' : timing;
    const [won] = await tx
      .update(reviewItem)
      .set({ decision: input.decision, decidedBy: actor.id, decidedAt: now, reason, removalTiming, decisionKey: input.idempotencyKey ?? null, exceptionControl: exception?.control ?? null, exceptionEndsAt: exception?.endsAt ?? null })
      .where(and(eq(reviewItem.id, item.id), eq(reviewItem.decision, 'pending'), or(eq(reviewItem.reviewerId, actor.id), eq(reviewItem.delegatedFromId, actor.id))))
      .returning();
    if (!won) return null;
    const reviewer: DecidingReviewer = actor;
    const decided = decisionEvent(won, { decision: input.decision, reason, removalTiming, at: now, reviewer, ...(exception ? { exception } : {}) });
    const events = [drift ? { ...decided, payload: { ...decided.payload, afterTheFact: true } } : decided];
    let requestId: string | null = null;
    if (input.decision === 'revoked') {
      const revoked = await createRevokeRequests(tx, now, `person:${actor.id}`, [{ ...won, accountId: loaded.accountId, reason: reason!, removalTiming: removalTiming! }]);
      requestId = revoked.requestIds.get(won.id) ?? null;
      events.push(...revoked.events);
    }
    // An approved privileged item of a second-level campaign goes on to the resource's owner.
    if (input.decision === 'approved') events.push(...(await startSecondLevel(tx, now, c, actor, [won])));
    await appendEvidence(tx, deps.clock, events);
    // A drift item has no review DM: its own notice is the message to update.
    await enqueueMessages(tx, now, drift ? [driftRefresh(won.id, won.reviewerId)] : [...new Set([won.reviewerId, actor.id])].map((id) => reviewRefresh(won.campaignId, id)));
    return { decidedAt: now, requestId, removalTiming };
  });

  if (recorded) {
    const decidedBy = { personId: actor.id, name: actor.name || actor.email, email: actor.email };
    return { outcome: 'recorded', itemId: item.id, campaignId: item.campaignId, decision: input.decision, decidedBy, replayed: false, ...recorded };
  }
  return answerLoser(await loadItem(deps.db, item.id), actor.id, input.idempotencyKey ?? null);
}

const UNKNOWN_ACTOR = { reason: 'actor not in the directory', message: MESSAGES.unknownActor };

/**
 * Who may decide: the assigned reviewer, or the reviewer who delegated the item to them (they
 * named the delegate and stay accountable) — never the person whose access it is, nor, at the
 * second level, whoever approved it at the first.
 */
function refusalFor(item: LoadedItem['item'], actorId: string | undefined): { reason: string; message: string } | null {
  if (!actorId) return UNKNOWN_ACTOR;
  if (item.snapshot.personId === actorId) return { reason: 'own access', message: MESSAGES.ownAccess };
  if (item.reviewerId !== actorId && item.delegatedFromId !== actorId) return { reason: 'not the assigned reviewer or their delegate', message: MESSAGES.notReviewer };
  // Reachable only through delegation: the second level routes away from the first reviewer.
  if (item.hints?.firstReview?.decidedById === actorId) return { reason: 'made the first decision', message: MESSAGES.firstReviewer };
  return null;
}

/** The loser of the race: the same caller retrying with its key gets its success back; anyone else, who won. */
function answerLoser(after: LoadedItem, actorId: string, key: string | null): DecideItemResult {
  const { item, decidedBy } = after;
  if (item.decision === 'pending' || !decidedBy) {
    // Not decided, yet the update matched nothing: it was delegated away in the meantime.
    throw new AppError('CONFLICT', 'This item was just reassigned to another reviewer');
  }
  const base = { itemId: item.id, campaignId: item.campaignId, decision: item.decision, decidedBy };
  if (key && item.decisionKey === key && item.decidedBy === actorId) {
    // With the timing recorded, not the one asked: a drift revoke asked "at close" was removed now.
    return { outcome: 'recorded', ...base, decidedAt: item.decidedAt!, requestId: item.requestId, replayed: true, removalTiming: item.removalTiming as 'now' | 'close' | null };
  }
  return { outcome: 'already_decided', ...base, decidedAt: item.decidedAt, reason: item.reason };
}
