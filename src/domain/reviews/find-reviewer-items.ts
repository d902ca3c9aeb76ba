import { and, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { person, reviewItem, type Decision, type ItemHints, type ItemSnapshot } from '../../db/schema/index.js';
import type { Decider } from './types.js';

export interface ReviewerItem {
  itemId: string;
  snapshot: ItemSnapshot;
  decision: Decision;
  decidedAt: Date | null;
  /** null while pending; `{ personId: null, name: 'system' }` when the non-response rule decided. */
  decidedBy: Decider | null;
  reason: string | null;
  removalTiming: string | null;
  requestId: string | null;
  /** A `kept` decision: the compensating control and when the exception ends. */
  exceptionControl?: string | null;
  exceptionEndsAt?: Date | null;
  fallbackReason: string | null;
  /** Set when another reviewer handed this item over. */
  delegatedFrom: { personId: string; name: string; email: string } | null;
  delegationReason: string | null;
  /** What Attest shows next to the item, frozen at launch (null for items launched before hints). */
  hints: ItemHints | null;
}

export interface ReviewerPersonGroup {
  /** The subject's person id; null for an orphaned account (one group per account). */
  personId: string | null;
  personName: string;
  personEmail: string;
  department: string | null;
  orphaned: boolean;
  pending: number;
  items: ReviewerItem[];
}

/**
 * What one reviewer sees in their DM: their items in a campaign, grouped by whose access it
 * is (so "Approve all for <name>" has a group to act on), people by name, accounts of no person
 * last (their own section). Each person's items put what deserves a look first: suggested
 * revokes, then privileged access, then what is new since the last review, then the rest; by
 * system and resource within each. Everything it sorts on is frozen at launch, so the order
 * (and the DM's paging) never moves while the reviewer works. Decided items are included,
 * with who decided, so the message shows progress.
 */
export async function findReviewerItems(db: Db, campaignId: string, reviewerId: string): Promise<ReviewerPersonGroup[]> {
  const decider = alias(person, 'decider');
  const delegator = alias(person, 'delegator');
  const rows = await db
    .select({ item: reviewItem, deciderName: decider.name, deciderEmail: decider.email, delegatorName: delegator.name, delegatorEmail: delegator.email })
    .from(reviewItem)
    .leftJoin(decider, eq(decider.id, reviewItem.decidedBy))
    .leftJoin(delegator, eq(delegator.id, reviewItem.delegatedFromId))
    .where(and(eq(reviewItem.campaignId, campaignId), eq(reviewItem.reviewerId, reviewerId)));

  const groups = new Map<string, ReviewerPersonGroup>();
  for (const r of rows) {
    const s = r.item.snapshot;
    const key = s.personId ?? `orphan:${s.system}:${s.accountLogin}`;
    const group = groups.get(key) ?? {
      personId: s.personId,
      personName: s.personName,
      personEmail: s.personEmail,
      department: s.department,
      orphaned: !s.personId,
      pending: 0,
      items: [],
    };
    groups.set(key, group);
    if (r.item.decision === 'pending') group.pending += 1;
    group.items.push({
      itemId: r.item.id,
      snapshot: s,
      decision: r.item.decision,
      decidedAt: r.item.decidedAt,
      decidedBy:
        r.item.decision === 'pending'
          ? null
          : r.item.decidedBy
            ? { personId: r.item.decidedBy, name: r.deciderName || r.deciderEmail || 'someone', email: r.deciderEmail }
            : { personId: null, name: 'system', email: null },
      reason: r.item.reason,
      removalTiming: r.item.removalTiming,
      requestId: r.item.requestId,
      exceptionControl: r.item.exceptionControl,
      exceptionEndsAt: r.item.exceptionEndsAt,
      fallbackReason: r.item.fallbackReason,
      delegatedFrom: r.item.delegatedFromId ? { personId: r.item.delegatedFromId, name: r.delegatorName ?? '', email: r.delegatorEmail ?? '' } : null,
      delegationReason: r.item.delegationReason,
      hints: r.item.hints ?? null,
    });
  }
  const byText = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' });
  const list = [...groups.values()].sort((a, b) => Number(a.orphaned) - Number(b.orphaned) || byText(a.personName, b.personName) || byText(a.personEmail, b.personEmail));
  for (const g of list) {
    g.items.sort((a, b) => itemRank(a) - itemRank(b) || byText(a.snapshot.system, b.snapshot.system) || byText(a.snapshot.resourceName, b.snapshot.resourceName) || byText(a.snapshot.via, b.snapshot.via));
  }
  return list;
}

/** 0 suggested revoke, 1 privileged, 2 new since the last review, 3 the rest. */
export function itemRank(item: Pick<ReviewerItem, 'snapshot' | 'hints'>): number {
  if (item.hints?.suggestRevoke) return 0;
  if (item.snapshot.privileged) return 1;
  if (item.hints?.compared && !item.hints.history) return 2;
  return 3;
}
