import { asc, eq, isNotNull, and, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, reviewItem } from '../../db/schema/index.js';
import { getCampaign } from './get-campaign.js';

export interface StatusFallback {
  item: string;
  person: string;
  resource: string;
  reason: string;
  reviewer: string;
  /** 1: the first reviewer; 2: the second review of an approved privileged item (absent: 1). */
  level?: number;
}

export interface ReviewerProgress {
  reviewerId: string;
  name: string;
  email: string;
  pending: number;
  decided: number;
}

/** `campaign status --json`: the keys through `fallbacks` are a contract (DESIGN.md). */
export interface CampaignStatus {
  id: string;
  name: string;
  status: string;
  items: number;
  pending: number;
  approved: number;
  revoked: number;
  reviewers: number;
  fallbacks: StatusFallback[];
  /** Decided `Keep as exception`: neither approved nor revoked, never pending. */
  kept: number;
  dueAt: Date;
  launchedAt: Date | null;
  closedAt: Date | null;
  owner: { personId: string; name: string; email: string };
  byReviewer: ReviewerProgress[];
  /** Campaigns with a second level: its items (already counted above); null or absent otherwise. */
  secondLevel?: { rule: 'owner'; items: number; pending: number; approved: number; revoked: number; kept: number } | null;
}

export async function getCampaignStatus(db: Db, id: string): Promise<CampaignStatus> {
  const c = await getCampaign(db, id);
  const byReviewer = await db
    .select({
      reviewerId: reviewItem.reviewerId,
      name: person.name,
      email: person.email,
      pending: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'pending'))::int`,
      decided: sql<number>`(count(*) filter (where ${reviewItem.decision} <> 'pending'))::int`,
      approved: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'approved'))::int`,
      revoked: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'revoked'))::int`,
      kept: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'kept'))::int`,
    })
    .from(reviewItem)
    .innerJoin(person, eq(person.id, reviewItem.reviewerId))
    .where(eq(reviewItem.campaignId, c.id))
    .groupBy(reviewItem.reviewerId, person.name, person.email)
    .orderBy(sql`count(*) filter (where ${reviewItem.decision} = 'pending') desc`, asc(person.email));
  const fallbacks = await db
    .select({ item: reviewItem.id, snapshot: reviewItem.snapshot, reason: reviewItem.fallbackReason, reviewer: person.email, level: reviewItem.level })
    .from(reviewItem)
    .innerJoin(person, eq(person.id, reviewItem.reviewerId))
    .where(and(eq(reviewItem.campaignId, c.id), isNotNull(reviewItem.fallbackReason)))
    .orderBy(sql`${reviewItem.snapshot}->>'personEmail'`, sql`${reviewItem.snapshot}->>'resourceName'`, reviewItem.level);
  const [second] = c.secondLevel
    ? await db
        .select({
          items: sql<number>`count(*)::int`,
          pending: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'pending'))::int`,
          approved: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'approved'))::int`,
          revoked: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'revoked'))::int`,
          kept: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'kept'))::int`,
        })
        .from(reviewItem)
        .where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.level, 2)))
    : [];
  const [owner] = await db.select({ personId: person.id, name: person.name, email: person.email }).from(person).where(eq(person.id, c.ownerId));

  const sum = (f: (r: (typeof byReviewer)[number]) => number) => byReviewer.reduce((n, r) => n + f(r), 0);
  const pending = sum((r) => r.pending);
  const approved = sum((r) => r.approved);
  const items = pending + sum((r) => r.decided);
  // Counted, never derived: a kept exception is decided but neither approved nor revoked.
  const revoked = sum((r) => r.revoked);
  const kept = sum((r) => r.kept);
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    items,
    pending,
    approved,
    revoked,
    reviewers: byReviewer.length,
    fallbacks: fallbacks.map((f) => ({
      item: f.item,
      person: f.snapshot.personEmail,
      resource: `${f.snapshot.resourceName} (${f.snapshot.system})`,
      reason: f.reason!,
      reviewer: f.reviewer,
      // Only second-level fallbacks say so: the documented fallback keys stay as they were.
      ...(f.level !== 1 ? { level: f.level } : {}),
    })),
    kept,
    dueAt: c.dueAt,
    launchedAt: c.launchedAt,
    closedAt: c.closedAt,
    owner: owner ?? { personId: c.ownerId, name: '', email: '' },
    byReviewer: byReviewer.map(({ approved: _a, revoked: _r, kept: _k, ...r }) => r),
    secondLevel: c.secondLevel ? { rule: c.secondLevel, items: 0, pending: 0, approved: 0, revoked: 0, kept: 0, ...second } : null,
  };
}
