import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { resource, reviewItem, type Campaign, type ItemHints, type ItemSnapshot } from '../../db/schema/index.js';
import type { NewEvidence } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';
import { findAdminIds } from './find-admin-ids.js';
import { loadPeopleIndex } from './load-people-index.js';
import { resolveEmails } from './resolve-emails.js';
import { reviewRefresh, reviewRequest } from './review-intents.js';
import { routeSecondReviewer } from './route-second-reviewer.js';

/** An item just approved, as the approving UPDATE returned it. */
export interface ApprovedItem {
  id: string;
  campaignId: string;
  grantId: string;
  snapshot: ItemSnapshot;
  hints: ItemHints | null;
  reviewerId: string;
  delegatedFromId: string | null;
  level: number;
}

export interface FirstReviewer {
  id: string;
  name: string;
  email: string;
}

/** Items launched before hints existed still need somewhere to freeze the first review. */
const NO_HINTS: ItemHints = { history: null, compared: false, suggestRevoke: null, unusual: null, outsideRequest: false };

/**
 * In a campaign with `--second-level owner`, an approved privileged item is not done: the
 * resource's owner takes a second decision on it (see routeSecondReviewer for who). Called in
 * the approval's own transaction, so an approval never commits without its level-2 item; a
 * revoke, a `kept` exception (not an approval) and a level-2 decision start nothing. The
 * conditional UPDATE that approved the item lets one click through, and the (campaign, grant,
 * level) unique index makes any second attempt a no-op. Queues the owner's review DM (or its
 * refresh when they already have one) and returns one `review.second_level` event per item made,
 * for the caller to append with the decisions.
 */
export async function startSecondLevel(tx: Db, now: Date, c: Campaign, by: FirstReviewer, approved: ApprovedItem[], decidedAt: Date = now): Promise<NewEvidence[]> {
  if (c.secondLevel !== 'owner') return [];
  const due = approved.filter((it) => it.level === 1 && it.snapshot.privileged);
  if (due.length === 0) return [];

  const resourceIds = [...new Set(due.map((it) => it.snapshot.resourceId))];
  const found: { id: string; ownerId: string | null; ownerEmail: string | null }[] = [];
  for (let i = 0; i < resourceIds.length; i += 1000) {
    found.push(...(await tx.select({ id: resource.id, ownerId: resource.ownerId, ownerEmail: resource.ownerEmail }).from(resource).where(inArray(resource.id, resourceIds.slice(i, i + 1000)))));
  }
  // As at launch (route-page.ts): the owner's person when the sync resolved it, else by the owner's email.
  const byEmail = await resolveEmails(tx, found.flatMap((r) => (!r.ownerId && r.ownerEmail ? [r.ownerEmail] : [])));
  const owners = new Map(found.map((r) => [r.id, r.ownerId ?? (r.ownerEmail ? (byEmail.get(r.ownerEmail.toLowerCase()) ?? null) : null)]));
  const adminIds = await findAdminIds(tx);
  const people = await loadPeopleIndex(tx, [...owners.values(), c.ownerId, ...adminIds].filter((id): id is string => Boolean(id)));
  const ctx = { campaignOwnerId: c.ownerId, adminIds, people };

  const rows = due.map((it) => {
    const firstReviewerIds = [by.id, it.reviewerId, ...(it.delegatedFromId ? [it.delegatedFromId] : [])];
    const routed = routeSecondReviewer(ctx, {
      subjectId: it.snapshot.personId,
      resourceOwnerId: owners.get(it.snapshot.resourceId) ?? null,
      resourceName: it.snapshot.resourceName,
      firstReviewerIds,
    });
    const firstReview = { itemId: it.id, decidedById: by.id, decidedByName: by.name || by.email, decidedAt: decidedAt.toISOString() };
    return {
      campaignId: it.campaignId,
      grantId: it.grantId,
      level: 2,
      snapshot: it.snapshot,
      hints: { ...(it.hints ?? NO_HINTS), firstReview },
      reviewerId: routed.reviewerId,
      fallbackReason: routed.reason,
    };
  });
  const made: (typeof reviewItem.$inferSelect)[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    made.push(
      ...(await tx
        .insert(reviewItem)
        .values(rows.slice(i, i + 1000))
        .onConflictDoNothing({ target: [reviewItem.campaignId, reviewItem.grantId, reviewItem.level] })
        .returning()),
    );
  }

  // The review DM goes out once per campaign and reviewer: an owner who already has one gets it refreshed.
  for (const reviewerId of new Set(made.map((it) => it.reviewerId))) {
    if (!(await enqueueMessage(tx, now, reviewRequest(c.id, reviewerId)))) await enqueueMessage(tx, now, reviewRefresh(c.id, reviewerId));
  }
  return made.map((it) => ({
    actor: `person:${by.id}`,
    action: 'review.second_level',
    subject: { campaign: it.campaignId, item: it.id },
    payload: {
      itemId: it.id,
      level: 2,
      firstItemId: it.hints!.firstReview!.itemId,
      grantId: it.grantId,
      reviewerId: it.reviewerId,
      reviewerEmail: people.byId.get(it.reviewerId)?.email ?? null,
      fallbackReason: it.fallbackReason,
      firstDecision: { decision: 'approved', personId: by.id, email: by.email, name: by.name, decidedAt },
      access: { personEmail: it.snapshot.personEmail, system: it.snapshot.system, resourceName: it.snapshot.resourceName, accountLogin: it.snapshot.accountLogin },
    },
  }));
}
