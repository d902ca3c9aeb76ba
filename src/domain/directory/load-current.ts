import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { account, resource, type Account, type Resource } from '../../db/schema/index.js';

/**
 * What the database holds for one source: every account and resource. Its grants, the bulk of
 * the snapshot, are not loaded: they are diffed in SQL against the staged read (diffGrants).
 */
export interface CurrentSnapshot {
  accounts: Map<string, Account>;
  resources: Map<string, Resource>;
}

export async function loadCurrent(db: Db, source: string): Promise<CurrentSnapshot> {
  const [accountRows, resourceRows] = await Promise.all([
    db.select().from(account).where(eq(account.source, source)),
    db.select().from(resource).where(eq(resource.source, source)),
  ]);
  return {
    accounts: new Map(accountRows.map((a) => [a.externalId, a])),
    resources: new Map(resourceRows.map((r) => [r.externalId, r])),
  };
}
