import type { Connector, ReadCoverage, SourceAccount, SourceResource } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { StageWriter, stageStatements } from './stage-writer.js';

/**
 * What one source reported. Accounts and resources are kept here (people are linked and
 * attributes diffed in Node: a few per person); grants, the bulk of any org, are only in the
 * staging tables under `stageId`, and are diffed in SQL (diffGrants).
 */
export interface SourceSnapshot {
  stageId: string;
  accounts: Map<string, SourceAccount>;
  resources: Map<string, SourceResource>;
  /** Grants read, duplicates included (each page's count, for progress and the report). */
  grantsRead: number;
  /** The lists this read covered in full: only there does an absence mean "gone". */
  coverage: ReadCoverage;
}

export const grantKey = (accountExternalId: string, resourceExternalId: string, via: string) =>
  `${accountExternalId}\u0000${resourceExternalId}\u0000${via}`;

export interface ReadProgress {
  accounts: number;
  resources: number;
  grants: number;
}

/**
 * Drains the connector page by page, writing each page to the staging tables while the next
 * ones are fetched. Throws whatever the connector (or a staging write) throws: a source that was
 * not read to the end must not be applied. The staging rows are the caller's to drop.
 */
export async function readSource(
  db: Db,
  connector: Connector,
  stageId: string,
  onProgress?: (p: ReadProgress) => void,
  signal?: AbortSignal,
): Promise<SourceSnapshot> {
  const accounts = new Map<string, SourceAccount>();
  const resources = new Map<string, SourceResource>();
  const coverage: ReadCoverage = { accounts: true, resources: true };
  const writer = new StageWriter(db, stageStatements(stageId));
  let grantsRead = 0;
  try {
    for await (const page of connector.read(signal)) {
      if (page.coverage?.accounts === false) coverage.accounts = false;
      if (page.coverage?.resources === false) coverage.resources = false;
      for (const a of page.accounts ?? []) {
        accounts.set(a.externalId, a);
        await writer.add('account', a.externalId, { e: a.externalId });
      }
      for (const r of page.resources ?? []) {
        resources.set(r.externalId, r);
        await writer.add('resource', r.externalId, { e: r.externalId, p: r.privileged, m: r.membersRead !== false });
      }
      for (const g of page.grants ?? []) {
        const row = { a: g.accountExternalId, r: g.resourceExternalId, v: g.via, p: Boolean(g.privileged) };
        await writer.add('grant', grantKey(g.accountExternalId, g.resourceExternalId, g.via), row);
      }
      grantsRead += page.grants?.length ?? 0;
      onProgress?.({ accounts: accounts.size, resources: resources.size, grants: grantsRead });
    }
    await writer.finish();
  } catch (err) {
    await writer.abandon();
    throw err;
  }
  return { stageId, accounts, resources, grantsRead, coverage };
}
