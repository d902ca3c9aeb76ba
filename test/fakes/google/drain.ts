import type { Connector, SourceAccount, SourceGrant, SourceResource } from '../../../src/connectors/types.js';

/** Reads a connector to the end, keeping what it yielded in order and how many pages. */
export async function drain(connector: Connector, signal?: AbortSignal) {
  const accounts: SourceAccount[] = [];
  const resources: SourceResource[] = [];
  const grants: SourceGrant[] = [];
  let pages = 0;
  for await (const page of connector.read(signal)) {
    pages += 1;
    accounts.push(...(page.accounts ?? []));
    resources.push(...(page.resources ?? []));
    grants.push(...(page.grants ?? []));
  }
  return { accounts, resources, grants, pages };
}
