import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessRequest } from '../../db/schema/index.js';
import type { NewEvidence } from '../evidence/append-evidence.js';
import type { DecidedItem } from './decision-event.js';

export interface RevokedItem extends DecidedItem {
  /** From the grant row (snapshots frozen before accountId was recorded lack it). */
  accountId: string | null;
  reason: string;
  removalTiming: 'now' | 'close';
}

const CHUNK = 1000;

/**
 * A revoke decision becomes an approved revoke request (origin `review_item:<id>`), linked back
 * from the item, and a `removal.requested` event. The removal itself (a connector call or a
 * task for the owner) is planned from the request by the lifecycle code. `by` is the
 * reviewer's actor string, or `system` for the non-response rule.
 */
export async function createRevokeRequests(tx: Db, now: Date, by: string, items: RevokedItem[]): Promise<{ requestIds: Map<string, string>; events: NewEvidence[] }> {
  const requestIds = new Map<string, string>();
  const events: NewEvidence[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    // Ids made here so items and requests can be linked without reading the requests back.
    const rows = chunk.map((it) => ({
      id: randomUUID(),
      kind: 'revoke' as const,
      status: 'approved' as const,
      subjectPersonId: it.snapshot.personId,
      resourceId: it.snapshot.resourceId,
      accountId: it.accountId ?? it.snapshot.accountId ?? null,
      grantId: it.grantId,
      requestedBy: by,
      approvedBy: by,
      reason: it.reason,
      origin: `review_item:${it.id}`,
      details: { removalTiming: it.removalTiming, campaignId: it.campaignId },
      createdAt: now,
      approvedAt: now,
    }));
    await tx.insert(accessRequest).values(rows);
    const pairs = chunk.map((it, n) => sql`(${it.id}::uuid, ${rows[n]!.id}::uuid)`);
    await tx.execute(sql`update review_item set request_id = v.request_id from (values ${sql.join(pairs, sql`, `)}) as v(item_id, request_id) where review_item.id = v.item_id`);
    chunk.forEach((it, n) => {
      const r = rows[n]!;
      requestIds.set(it.id, r.id);
      events.push({
        actor: by,
        action: 'removal.requested',
        subject: { request: r.id, campaign: it.campaignId, item: it.id },
        payload: {
          origin: r.origin,
          grantId: it.grantId,
          accountId: r.accountId,
          resourceId: r.resourceId,
          subjectPersonId: r.subjectPersonId,
          accountLogin: it.snapshot.accountLogin,
          resourceName: it.snapshot.resourceName,
          system: it.snapshot.system,
          reason: it.reason,
          removalTiming: it.removalTiming,
        },
      });
    });
  }
  return { requestIds, events };
}
