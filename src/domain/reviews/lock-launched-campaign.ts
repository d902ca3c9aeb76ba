import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaign, type Campaign } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/**
 * Takes a share lock on a launched campaign's row for the rest of the transaction. Decisions
 * hold it while they write; closing takes the row's exclusive lock, so a decision and a close
 * never interleave (a decision either lands before the close or is refused after it).
 */
export async function lockLaunchedCampaign(tx: Db, campaignId: string): Promise<Campaign> {
  const [row] = await tx.select().from(campaign).where(eq(campaign.id, campaignId)).for('share');
  if (!row) throw new AppError('NOT_FOUND', `No campaign with id ${campaignId}`);
  if (row.status === 'closed') throw new AppError('CONFLICT', `Campaign "${row.name}" is closed: its items can no longer be decided`);
  if (row.status !== 'launched') throw new AppError('CONFLICT', `Campaign "${row.name}" has not been launched yet`);
  return row;
}
