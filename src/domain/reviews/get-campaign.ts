import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaign, type Campaign } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { requireUuid } from './require-uuid.js';

export async function getCampaign(db: Db, id: string): Promise<Campaign> {
  const [row] = await db.select().from(campaign).where(eq(campaign.id, requireUuid(id, 'campaign')));
  if (!row) throw new AppError('NOT_FOUND', `No campaign with id ${id}`);
  return row;
}
