import type { Connector, ReadCoverage, SourceAccount, SourceGrant, SourceResource } from '../../connectors/types.js';

/** Everything one source reported, keyed for diffing. */
export interface SourceSnapshot {
  accounts: Map<string, SourceAccount>;
  resources: Map<string, SourceResource>;
  grants: Map<string, SourceGrant>;
  /** Grants naming an account or resource the source did not list (kept out, counted). */
  dangling: number;
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
 * Drains the connector page by page. Throws whatever the connector throws: a source that was
 * not read to the end must not be applied.
 */
export async function readSource(
  connector: Connector,
  onProgress?: (p: ReadProgress) => void,
  signal?: AbortSignal,
): Promise<SourceSnapshot> {
  const accounts = new Map<string, SourceAccount>();
  const resources = new Map<string, SourceResource>();
  const rawGrants: SourceGrant[] = [];
  const coverage: ReadCoverage = { accounts: true, resources: true };
  for await (const page of connector.read(signal)) {
    if (page.coverage?.accounts === false) coverage.accounts = false;
    if (page.coverage?.resources === false) coverage.resources = false;
    for (const a of page.accounts ?? []) accounts.set(a.externalId, a);
    for (const r of page.resources ?? []) resources.set(r.externalId, r);
    if (page.grants) for (const g of page.grants) rawGrants.push(g);
    onProgress?.({ accounts: accounts.size, resources: resources.size, grants: rawGrants.length });
  }
  // Grants may arrive before the resource they point at (pages interleave), so check at the end.
  const grants = new Map<string, SourceGrant>();
  let dangling = 0;
  for (const g of rawGrants) {
    if (!accounts.has(g.accountExternalId) || !resources.has(g.resourceExternalId)) {
      dangling += 1;
      continue;
    }
    grants.set(grantKey(g.accountExternalId, g.resourceExternalId, g.via), g);
  }
  return { accounts, resources, grants, dangling, coverage };
}
