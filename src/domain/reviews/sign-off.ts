import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { person, reviewItem, reviewSignoff, type Campaign } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { recordRefusal } from '../evidence/record-refusal.js';
import { enqueueMessages } from '../outbox/enqueue-messages.js';
import { attestationStatement } from './attestation.js';
import { findSignoff, type SignoffRecord } from './find-signoff.js';
import { getCampaign } from './get-campaign.js';
import { itemsDigest } from './items-digest.js';
import { lockLaunchedCampaign } from './lock-launched-campaign.js';
import { MESSAGES, refuse } from './refuse.js';
import { reviewRefresh } from './review-intents.js';
import { isUuid } from './require-uuid.js';
import { coversAll } from './signoff-coverage.js';

const ATTEMPTED = 'review.sign_off';
const NO_ONE = '00000000-0000-0000-0000-000000000000';

export interface SignOffTarget {
  campaignId: string;
  /** Whose review is signed: only they may sign it. */
  reviewerId: string;
  actorPersonId: string;
}

/** What the sign-off modal shows, and what submitting it must still match. */
export interface SignOffPreview {
  campaignId: string;
  campaignName: string;
  reviewerId: string;
  statement: string;
  itemCount: number;
  itemsDigest: string;
  /** Already signed, over every item the reviewer has now: the modal is not needed. */
  signed: SignoffRecord | null;
  /** A sign-off that no longer covers every item (items reached the reviewer after it): this one signs again. */
  previous: SignoffRecord | null;
}

export type SignOffResult = { outcome: 'signed' | 'already_signed'; signoff: SignoffRecord };

/**
 * Checks a sign-off can happen and says what would be signed. Refusals (someone else's
 * review, items still pending, a closed campaign) are answered clearly and recorded as
 * security events, like any refused decision.
 */
export async function prepareSignOff(deps: Pick<Deps, 'db' | 'clock'>, t: SignOffTarget): Promise<SignOffPreview> {
  const { c, items, signed, previous } = await checkSignOff(deps, t);
  return { campaignId: c.id, campaignName: c.name, reviewerId: t.reviewerId, statement: attestationStatement(c.attestation, items.length), itemCount: items.length, itemsDigest: itemsDigest(items), signed, previous };
}

/**
 * Records a reviewer's sign-off over all of their items. Usually once; when items reached the
 * reviewer after it (a second-level item, a handover), they sign again: `seq` is the latest's
 * plus one, and the new row covers every item they have at that time. A sign-off that already
 * covers them all answers a double submit or a Slack retry; between two that race, the unique
 * (campaign, reviewer, seq) row is the arbiter and the loser is answered with the one on
 * record. `expectedDigest` is the digest the modal showed: if the items changed since (a
 * second-level item arrived), the reviewer is asked to look again rather than attest to
 * something they did not see.
 */
export async function signOff(deps: Pick<Deps, 'db' | 'clock'>, input: SignOffTarget & { expectedDigest?: string | null }): Promise<SignOffResult> {
  const { actor, signed } = await checkSignOff(deps, input);
  if (signed) return { outcome: 'already_signed', signoff: signed };
  const won = await deps.db.transaction(async (tx) => {
    const c = await lockLaunchedCampaign(tx, input.campaignId);
    const items = await reviewerItems(tx, c.id, input.reviewerId);
    // Read again under the lock: a submission that waited for another one's commit sees it here.
    const latest = await findSignoff(tx, c.id, input.reviewerId);
    if (coversAll(latest, items.length)) return false;
    if (items.some((i) => i.decision === 'pending')) throw stillPending(items.filter((i) => i.decision === 'pending').length);
    const digest = itemsDigest(items);
    if (input.expectedDigest && input.expectedDigest !== digest) {
      throw new AppError('CONFLICT', 'Your items changed since you opened the sign-off: close it and click Sign off again to see them.');
    }
    const now = deps.clock.now();
    const statement = attestationStatement(c.attestation, items.length);
    const seq = (latest?.seq ?? 0) + 1;
    const [row] = await tx
      .insert(reviewSignoff)
      .values({ campaignId: c.id, reviewerId: actor.id, statement, itemCount: items.length, itemsDigest: digest, signedAt: now, seq })
      .onConflictDoNothing()
      .returning();
    if (!row) return false;
    await appendEvidence(tx, deps.clock, {
      actor: `person:${actor.id}`,
      action: 'review.signed_off',
      subject: { campaign: c.id, reviewer: actor.id },
      payload: {
        campaignId: c.id,
        campaignName: c.name,
        reviewer: { personId: actor.id, email: actor.email, name: actor.name, slackUserId: actor.slackUserId },
        statement,
        itemCount: items.length,
        itemsDigest: digest,
        digestOf: 'sha256 of "<item id>,<decision>,<decided at>\\n" per item, in item id order',
        signedAt: now,
        seq,
      },
    });
    await enqueueMessages(tx, now, [reviewRefresh(c.id, actor.id)]);
    return true;
  });
  const signoff = await findSignoff(deps.db, input.campaignId, input.reviewerId);
  if (!signoff) throw new AppError('CONFLICT', 'The sign-off could not be recorded: please try again.');
  return { outcome: won ? 'signed' : 'already_signed', signoff };
}

async function checkSignOff(deps: Pick<Deps, 'db' | 'clock'>, t: SignOffTarget) {
  const c = await getCampaign(deps.db, t.campaignId);
  const subject = { campaign: c.id, reviewer: isUuid(t.reviewerId) ? t.reviewerId : 'unknown' };
  const [actor] = await deps.db
    .select({ id: person.id, email: person.email, name: person.name, slackUserId: person.slackUserId })
    .from(person)
    .where(eq(person.id, isUuid(t.actorPersonId) ? t.actorPersonId : NO_ONE));
  const refused = (reason: string, message: string) => refuse(deps, { actorPersonId: t.actorPersonId, attempted: ATTEMPTED, subject, reason, message });
  if (!actor) throw await refused('actor not in the directory', MESSAGES.unknownActor);
  if (actor.id !== t.reviewerId) throw await refused('not the reviewer', SIGN_OFF_MESSAGES.notReviewer);
  const items = await reviewerItems(deps.db, c.id, actor.id);
  if (items.length === 0) throw await refused('no items to sign off', SIGN_OFF_MESSAGES.noItems);
  // A sign-off that covers every item is answered as such, whatever happened since (a retry after the close).
  const latest = await findSignoff(deps.db, c.id, actor.id);
  if (coversAll(latest, items.length)) return { c, actor, items, signed: latest, previous: null };
  const pending = items.filter((i) => i.decision === 'pending').length;
  if (c.status !== 'launched') throw await refusedState(deps, t, subject, `campaign ${c.status}`, notOpen(c));
  if (pending > 0) throw await refusedState(deps, t, subject, 'items still pending', stillPending(pending));
  return { c, actor, items, signed: null, previous: latest };
}

/** A refusal about the state of the review rather than who asked: the same record, its own error code. */
async function refusedState(deps: Pick<Deps, 'db' | 'clock'>, t: SignOffTarget, subject: Record<string, string>, reason: string, error: AppError): Promise<AppError> {
  await recordRefusal(deps, { actor: `person:${t.actorPersonId}`, attempted: ATTEMPTED, subject, reason });
  return error;
}

function reviewerItems(db: Db, campaignId: string, reviewerId: string) {
  return db
    .select({ id: reviewItem.id, decision: reviewItem.decision, decidedAt: reviewItem.decidedAt })
    .from(reviewItem)
    .where(and(eq(reviewItem.campaignId, campaignId), eq(reviewItem.reviewerId, reviewerId)))
    .orderBy(reviewItem.id);
}

function stillPending(n: number): AppError {
  return new AppError('CONFLICT', `You still have ${n} ${n === 1 ? 'item' : 'items'} to decide: sign off once every item is decided.`);
}

function notOpen(c: Campaign): AppError {
  return new AppError('CONFLICT', c.status === 'closed' ? `Campaign "${c.name}" is closed: it can no longer be signed off.` : `Campaign "${c.name}" has not been launched yet.`);
}

export const SIGN_OFF_MESSAGES = {
  notReviewer: 'Only the reviewer whose items these are can sign off their review.',
  noItems: 'You have no items in this campaign to sign off.',
} as const;
