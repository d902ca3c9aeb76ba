import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaign, type Campaign } from '../../db/schema/index.js';
import { findAdminIds } from '../reviews/find-admin-ids.js';

/** The kind of the standing campaign that holds unapproved access (grants that appeared without a request). */
export const DRIFT_KIND = 'drift';
export const DRIFT_CAMPAIGN_NAME = 'Unapproved access';

/**
 * Whether a campaign of this kind ever closes. The standing drift campaign does not, so a
 * removal cannot wait for its close (a revoke removes now), and the review modal and the
 * decision both ask this one question.
 */
export function campaignCloses(kind: string): boolean {
  return kind !== DRIFT_KIND;
}

/**
 * Never reached by a due-date job: the drift campaign stands for as long as the deployment does.
 * The jobs also skip the kind by name (find-open-campaigns and friends); the date is the belt to
 * those braces, and no reminder offset is set either.
 */
export const DRIFT_DUE_AT = new Date('9999-12-31T23:59:59.000Z');

/**
 * The deployment's one drift campaign, made (launched) the first time unapproved access is found.
 * Its owner is the first admin: the last-resort reviewer, as for any campaign. Null when there
 * is no admin yet (nobody could be asked; the caller logs it). An advisory lock keeps two
 * replicas' first syncs from making two.
 */
export async function ensureDriftCampaign(tx: Db, now: Date): Promise<Campaign | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('attest.drift.campaign'))`);
  const [found] = await tx.select().from(campaign).where(and(eq(campaign.kind, DRIFT_KIND))).limit(1);
  if (found) return found;
  const [ownerId] = await findAdminIds(tx);
  if (!ownerId) return null;
  const [made] = await tx
    .insert(campaign)
    .values({
      name: DRIFT_CAMPAIGN_NAME,
      kind: DRIFT_KIND,
      reviewerRule: 'owner',
      nonResponse: 'flag',
      reminderOffsetsDays: [],
      ownerId,
      status: 'launched',
      dueAt: DRIFT_DUE_AT,
      createdBy: 'system',
      createdAt: now,
      launchedAt: now,
    })
    .returning();
  return made!;
}
