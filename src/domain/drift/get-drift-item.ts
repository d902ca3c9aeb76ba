import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person } from '../../db/schema/index.js';
import { loadItem } from '../reviews/load-item.js';
import type { Decider } from '../reviews/types.js';

/** What the drift notice shows: the grant as frozen, when it appeared, and its decision so far. */
export interface DriftItem {
  itemId: string;
  personName: string;
  resourceName: string;
  system: string;
  privileged: boolean;
  via: string;
  accountLogin: string;
  seenAt: Date;
  decision: 'pending' | 'approved' | 'revoked' | 'kept';
  decidedBy: Decider | null;
  decidedAt: Date | null;
  reason: string | null;
  reviewer: { id: string; name: string; slackTz: string | null };
}

export async function getDriftItem(db: Db, itemId: string): Promise<DriftItem> {
  const { item, decidedBy } = await loadItem(db, itemId);
  const [reviewer] = await db.select({ id: person.id, name: person.name, email: person.email, slackTz: person.slackTz }).from(person).where(eq(person.id, item.reviewerId));
  const s = item.snapshot;
  return {
    itemId: item.id,
    personName: s.personName || s.personEmail || s.accountLogin,
    resourceName: s.resourceName,
    system: s.system,
    privileged: s.privileged,
    via: s.via,
    accountLogin: s.accountLogin,
    seenAt: new Date(item.hints?.drift?.seenAt ?? item.decidedAt ?? 0),
    decision: item.decision,
    decidedBy,
    decidedAt: item.decidedAt,
    reason: item.reason,
    reviewer: { id: item.reviewerId, name: reviewer?.name || reviewer?.email || 'the reviewer', slackTz: reviewer?.slackTz ?? null },
  };
}
