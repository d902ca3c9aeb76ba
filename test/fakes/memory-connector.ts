import {
  PermanentError,
  TransientError,
  type Connector,
  type DirectoryPage,
  type GrantRef,
  type ReadCoverage,
  type SourceAccount,
  type SourceGrant,
  type SourceResource,
} from '../../src/connectors/types.js';

export interface MemoryOrg {
  accounts: SourceAccount[];
  resources: SourceResource[];
  grants: SourceGrant[];
}

/**
 * An in-process source for engine tests: yields the org in small pages and can be told to
 * fail on a given page, like a provider that errors on page 37.
 */
export function memoryConnector(
  org: MemoryOrg,
  opts: { source?: string; pageSize?: number; failOnPage?: number; coverage?: Partial<ReadCoverage> } = {},
) {
  let requests = 0;
  const removed: GrantRef[] = [];
  const connector: Connector & {
    org: MemoryOrg;
    removed: GrantRef[];
    failOnPage?: number;
    /** Lists the next reads say they did not cover (like a file without grant columns). */
    coverage?: Partial<ReadCoverage>;
    /** The next n removals fail: transiently, or permanently. */
    failRemovals?: { times: number; permanent?: boolean };
  } = {
    source: opts.source ?? 'okta',
    org,
    removed,
    failOnPage: opts.failOnPage,
    coverage: opts.coverage,
    async *read(): AsyncIterable<DirectoryPage> {
      const size = opts.pageSize ?? 2;
      const pages: DirectoryPage[] = connector.coverage ? [{ coverage: connector.coverage }] : [];
      for (let i = 0; i < org.accounts.length; i += size) pages.push({ accounts: org.accounts.slice(i, i + size) });
      for (let i = 0; i < org.resources.length; i += size) pages.push({ resources: org.resources.slice(i, i + size) });
      for (let i = 0; i < org.grants.length; i += size) pages.push({ grants: org.grants.slice(i, i + size) });
      for (const [n, page] of pages.entries()) {
        requests += 1;
        if (connector.failOnPage !== undefined && n + 1 === connector.failOnPage) {
          throw new Error(`HTTP 500 on page ${n + 1}`);
        }
        yield structuredClone(page);
      }
    },
    canRemove: () => true,
    removeGrant: async (g) => {
      const f = connector.failRemovals;
      if (f && f.times > 0) {
        f.times -= 1;
        throw f.permanent ? new PermanentError('403 forbidden') : new TransientError('HTTP 503 from provider');
      }
      removed.push(g);
      // Like the real provider: the next read no longer shows the grant.
      org.grants = org.grants.filter(
        (x) => !(x.accountExternalId === g.accountExternalId && x.resourceExternalId === g.resourceExternalId && x.via === g.via),
      );
    },
    // Like a provider's single-user read: the account as the org holds it now, null when unknown.
    getAccountStatus: async (id) => {
      const a = org.accounts.find((x) => x.externalId === id);
      return a ? { externalId: a.externalId, status: a.status, rawStatus: a.rawStatus, login: a.login, email: a.email } : null;
    },
    deactivateAccount: async (id) => {
      const a = org.accounts.find((x) => x.externalId === id);
      if (a) Object.assign(a, { status: 'deprovisioned', rawStatus: 'DEPROVISIONED' });
    },
    stats: () => ({ requests }),
  };
  return connector;
}

export function user(
  id: string,
  email: string,
  extra: Partial<SourceAccount> & { manager?: string; department?: string; title?: string } = {},
): SourceAccount {
  const { manager, department, title, ...rest } = extra;
  return {
    externalId: id,
    system: 'okta',
    login: email,
    email,
    displayName: email.split('@')[0]!,
    status: 'active',
    rawStatus: 'ACTIVE',
    lastLoginAt: new Date('2026-09-01T10:00:00Z'),
    person: {
      email,
      name: email.split('@')[0]!,
      department: department ?? 'Engineering',
      title: title ?? 'Engineer',
      managerRef: manager ?? null,
    },
    ...rest,
  };
}

export const group = (id: string, name: string, privileged = false): SourceResource => ({
  externalId: id,
  system: 'okta',
  kind: 'group',
  name,
  privileged,
});

export const member = (accountId: string, resourceId: string, via = 'direct'): SourceGrant => ({
  accountExternalId: accountId,
  resourceExternalId: resourceId,
  via,
});
