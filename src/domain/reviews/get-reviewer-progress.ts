import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { person, reviewItem } from '../../db/schema/index.js';
import { findSignoff } from './find-signoff.js';
import { AppError } from '../../errors.js';
import { getCampaign } from './get-campaign.js';
import { coversAll } from './signoff-coverage.js';

export interface ReviewerProgressDetail {
  campaign: { id: string; name: string; status: string; dueAt: Date };
  reviewer: { id: string; name: string; email: string; slackUserId: string | null; slackTz: string | null };
  manager: { id: string; name: string; email: string; slackTz: string | null } | null;
  pending: number;
  decided: number;
  /** When the reviewer signed off their review; null while no sign-off covers all of their items. */
  signedOffAt?: Date | null;
  /** A sign-off that no longer covers every item (some reached them after it): they sign again. */
  signedBefore?: { signedAt: Date; itemCount: number } | null;
}

/** One reviewer's standing in one campaign: what reminders and escalations say. */
export async function getReviewerProgress(db: Db, campaignId: string, reviewerId: string): Promise<ReviewerProgressDetail> {
  const c = await getCampaign(db, campaignId);
  const manager = alias(person, 'manager');
  const [row] = await db
    .select({ reviewer: person, manager: { id: manager.id, name: manager.name, email: manager.email, slackTz: manager.slackTz } })
    .from(person)
    .leftJoin(manager, eq(manager.id, person.managerId))
    .where(eq(person.id, reviewerId));
  if (!row) throw new AppError('NOT_FOUND', `No person with id ${reviewerId}`);
  const [counts] = await db
    .select({
      pending: sql<number>`(count(*) filter (where ${reviewItem.decision} = 'pending'))::int`,
      decided: sql<number>`(count(*) filter (where ${reviewItem.decision} <> 'pending'))::int`,
    })
    .from(reviewItem)
    .where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.reviewerId, reviewerId)));
  const r = row.reviewer;
  const pending = counts?.pending ?? 0;
  const decided = counts?.decided ?? 0;
  const signed = await findSignoff(db, c.id, reviewerId);
  const covers = coversAll(signed, pending + decided);
  return {
    campaign: { id: c.id, name: c.name, status: c.status, dueAt: c.dueAt },
    reviewer: { id: r.id, name: r.name, email: r.email, slackUserId: r.slackUserId, slackTz: r.slackTz },
    manager: row.manager?.id ? { id: row.manager.id, name: row.manager.name, email: row.manager.email, slackTz: row.manager.slackTz } : null,
    pending,
    decided,
    signedOffAt: covers ? signed!.signedAt : null,
    signedBefore: signed && !covers ? { signedAt: signed.signedAt, itemCount: signed.itemCount } : null,
  };
}
