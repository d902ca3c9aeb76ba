import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessGrant, campaign, person, reviewItem } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { requireUuid } from './require-uuid.js';
import type { Decider } from './types.js';

/** One item with what deciding it needs: its campaign's status and kind, its account, and who decided it. */
export async function loadItem(db: Db, itemId: string) {
  const [row] = await db
    .select({
      item: reviewItem,
      campaignStatus: campaign.status,
      campaignKind: campaign.kind,
      accountId: accessGrant.accountId,
      deciderName: person.name,
      deciderEmail: person.email,
    })
    .from(reviewItem)
    .innerJoin(campaign, eq(campaign.id, reviewItem.campaignId))
    .leftJoin(accessGrant, eq(accessGrant.id, reviewItem.grantId))
    .leftJoin(person, eq(person.id, reviewItem.decidedBy))
    .where(eq(reviewItem.id, requireUuid(itemId, 'review item')));
  if (!row) throw new AppError('NOT_FOUND', `No review item with id ${itemId}`);
  const decidedBy: Decider | null =
    row.item.decision === 'pending'
      ? null
      : row.item.decidedBy
        ? { personId: row.item.decidedBy, name: row.deciderName || row.deciderEmail || 'someone', email: row.deciderEmail }
        : { personId: null, name: 'system', email: null };
  return { ...row, decidedBy };
}

export type LoadedItem = Awaited<ReturnType<typeof loadItem>>;
