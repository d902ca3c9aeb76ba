import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, resource } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { findReviewerItems, type ReviewerPersonGroup } from './find-reviewer-items.js';
import { findSignoff, type SignoffRecord } from './find-signoff.js';
import { getCampaign } from './get-campaign.js';

export interface ReviewRequest {
  campaign: { id: string; name: string; status: string; dueAt: Date; closedAt: Date | null };
  reviewer: { id: string; name: string; email: string; slackUserId: string | null; slackTz: string | null };
  groups: ReviewerPersonGroup[];
  /**
   * Names of the groups access is held through, keyed `<source>|<via>` (e.g. `okta|group:00g1`):
   * snapshots keep the group's id, and a reviewer recognises a name.
   */
  groupNames: Record<string, string>;
  /**
   * The reviewer's latest sign-off of this campaign; null until they sign. It covers every item
   * when its count is theirs now (see signoff-coverage.ts); otherwise items reached them after it.
   */
  signoff?: Omit<SignoffRecord, 'seq'> | null;
}

/** Everything a reviewer's DM for one campaign shows, read at send time. */
export async function getReviewRequest(db: Db, campaignId: string, reviewerId: string): Promise<ReviewRequest> {
  const c = await getCampaign(db, campaignId);
  const [reviewer] = await db
    .select({ id: person.id, name: person.name, email: person.email, slackUserId: person.slackUserId, slackTz: person.slackTz })
    .from(person)
    .where(eq(person.id, reviewerId));
  if (!reviewer) throw new AppError('NOT_FOUND', `No person with id ${reviewerId}`);
  const groups = await findReviewerItems(db, c.id, reviewer.id);
  return {
    campaign: { id: c.id, name: c.name, status: c.status, dueAt: c.dueAt, closedAt: c.closedAt },
    reviewer,
    groups,
    groupNames: await findGroupNames(db, groups),
    signoff: await findSignoff(db, c.id, reviewer.id),
  };
}

async function findGroupNames(db: Db, groups: ReviewerPersonGroup[]): Promise<Record<string, string>> {
  const ids = new Set<string>();
  for (const g of groups) for (const it of g.items) if (it.snapshot.via.startsWith('group:')) ids.add(it.snapshot.via.slice('group:'.length));
  if (ids.size === 0) return {};
  const rows = await db
    .select({ source: resource.source, externalId: resource.externalId, name: resource.name })
    .from(resource)
    .where(and(eq(resource.kind, 'group'), inArray(resource.externalId, [...ids])));
  return Object.fromEntries(rows.map((r) => [`${r.source}|group:${r.externalId}`, r.name]));
}
