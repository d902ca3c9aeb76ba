import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { person, reviewItem, type Campaign, type ItemSnapshot } from '../../../db/schema/index.js';
import { notAfter } from './as-of.js';
import { inItemWindow, type ItemWindow } from './item-window.js';
import type { Column } from './csv-entry.js';
import { keyset, perCampaign } from './keyset.js';
import { exceptionStatus } from './review-depth.js';

export interface ExceptionRow {
  campaign: Pick<Campaign, 'id' | 'name'>;
  itemId: string;
  grantId: string;
  snapshot: ItemSnapshot;
  control: string | null;
  endsAt: Date | null;
  decidedAt: Date | null;
  deciderName: string | null;
  deciderEmail: string | null;
  /** As of the export (see exceptionStatus). */
  status: 'open' | 'expired';
}

/**
 * Every item kept as an exception (decision `kept`), with its compensating control, its end
 * date and whether it has expired at `at` (the export's instant). With `asOf` (a bundle read in
 * chunks), an exception recorded after it is not there yet.
 */
export function exceptionRows(db: Db, campaigns: (Pick<Campaign, 'id' | 'name'> & { itemWindow?: ItemWindow | null })[], at: Date, asOf: Date | null = null): AsyncGenerator<ExceptionRow> {
  return perCampaign(campaigns, (c) =>
    keyset(
      async (after: string | null, limit) => {
        const rows = await db
          .select({
            itemId: reviewItem.id,
            grantId: reviewItem.grantId,
            snapshot: reviewItem.snapshot,
            control: reviewItem.exceptionControl,
            endsAt: reviewItem.exceptionEndsAt,
            decidedAt: reviewItem.decidedAt,
            deciderName: person.name,
            deciderEmail: person.email,
          })
          .from(reviewItem)
          .leftJoin(person, eq(person.id, reviewItem.decidedBy))
          .where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.decision, 'kept'), notAfter(reviewItem.decidedAt, asOf), inItemWindow(c.itemWindow), after ? gt(reviewItem.id, after) : undefined))
          .orderBy(asc(reviewItem.id))
          .limit(limit);
        return rows.map((r) => ({ campaign: c, ...r, status: exceptionStatus(r.endsAt, at) }));
      },
      (r) => r.itemId,
    ),
  );
}

export const EXCEPTION_COLUMNS: Column<ExceptionRow>[] = [
  { header: 'campaign_id', value: (r) => r.campaign.id },
  { header: 'campaign', value: (r) => r.campaign.name },
  { header: 'item_id', value: (r) => r.itemId },
  { header: 'person', value: (r) => r.snapshot.personName },
  { header: 'email', value: (r) => r.snapshot.personEmail },
  { header: 'system', value: (r) => r.snapshot.system },
  { header: 'account', value: (r) => r.snapshot.accountLogin },
  { header: 'resource', value: (r) => r.snapshot.resourceName },
  { header: 'privileged', value: (r) => r.snapshot.privileged },
  { header: 'control', value: (r) => r.control },
  { header: 'ends_at', value: (r) => r.endsAt },
  { header: 'status', value: (r) => r.status },
  { header: 'decided_by_name', value: (r) => r.deciderName },
  { header: 'decided_by_email', value: (r) => r.deciderEmail },
  { header: 'decided_at', value: (r) => r.decidedAt },
  { header: 'grant_id', value: (r) => r.grantId },
];
