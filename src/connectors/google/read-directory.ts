import type { admin_directory_v1 } from 'googleapis';
import type { DirectoryPage, SourceAccount, SourceGrant, SourceResource } from '../types.js';
import type { GoogleCall } from './call-google.js';
import type { Directory } from './directory-client.js';
import { mapPool } from './map-pool.js';
import { DELEGATED_ADMIN_ROLE, mapUser, SUPER_ADMIN_ROLE } from './map-user.js';
import { MembershipGraph } from './membership-graph.js';
import { paginate } from './paginate.js';

type Group = admin_directory_v1.Schema$Group;
type Member = admin_directory_v1.Schema$Member;
type Lists = Required<Pick<DirectoryPage, 'accounts' | 'resources' | 'grants'>>;

/** The largest pages Google serves: fewer requests against a per-minute quota. */
export const PAGE_SIZE = { users: 500, groups: 200, members: 200 } as const;

export interface ReadOptions {
  directory: Directory;
  call: GoogleCall;
  customer: string;
  maxInFlight: number;
  signal: AbortSignal | undefined;
}

/**
 * Streams users (suspended and archived included), then groups with their direct members, then
 * the grants nested groups give. Any failed page throws: the sync must not apply a partial read.
 */
export async function* readDirectory(o: ReadOptions): AsyncGenerator<DirectoryPage> {
  const { directory: dir, call, signal } = o;
  yield { resources: [SUPER_ADMIN_ROLE, DELEGATED_ADMIN_ROLE] };

  const userIds = new Set<string>();
  const userPages = paginate((pageToken) => {
    const params = { customer: o.customer, maxResults: PAGE_SIZE.users, projection: 'basic', pageToken };
    return call('users.list', (opts) => dir.users.list(params, opts), signal);
  });
  for await (const page of userPages) {
    const accounts: SourceAccount[] = [];
    const grants: SourceGrant[] = [];
    for (const u of page.users ?? []) {
      const mapped = mapUser(u);
      if (!mapped) continue;
      userIds.add(mapped.account.externalId);
      accounts.push(mapped.account);
      grants.push(...mapped.grants);
    }
    yield { accounts, grants };
  }

  const graph = new MembershipGraph();
  const externals = new Set<string>();
  const groupPages = paginate((pageToken) => {
    const params = { customer: o.customer, maxResults: PAGE_SIZE.groups, pageToken };
    return call('groups.list', (opts) => dir.groups.list(params, opts), signal);
  });
  for await (const page of groupPages) {
    const groups = (page.groups ?? []).filter((g): g is Group & { id: string } => Boolean(g.id));
    const memberLists = await mapPool(groups, o.maxInFlight, (g) => listMembers(o, g.id));
    const out: Lists = { accounts: [], resources: [], grants: [] };
    groups.forEach((g, i) => addGroup(out, g, memberLists[i] ?? [], { userIds, externals, graph }));
    yield out;
  }

  const nested = graph.nestedGrants();
  if (nested.length > 0) yield { grants: nested };
}

async function listMembers(o: ReadOptions, groupKey: string): Promise<Member[]> {
  const members: Member[] = [];
  const pages = paginate((pageToken) => {
    const params = { groupKey, maxResults: PAGE_SIZE.members, pageToken };
    return o.call('members.list', (opts) => o.directory.members.list(params, opts), o.signal);
  });
  for await (const page of pages) members.push(...(page.members ?? []));
  return members;
}

interface Seen {
  userIds: Set<string>;
  externals: Set<string>;
  graph: MembershipGraph;
}

function addGroup(out: Lists, g: Group & { id: string }, members: Member[], seen: Seen): void {
  const users = members.filter((m) => m.type === 'USER' && m.id);
  const owner = users.find((m) => m.role === 'OWNER' && m.email);
  const resource: SourceResource = {
    externalId: g.id,
    system: 'google',
    kind: 'group',
    name: g.name || g.email || g.id,
    privileged: false,
    ownerEmail: owner?.email?.toLowerCase() ?? null,
    attrs: { email: g.email ?? null, wholeDomain: members.some((m) => m.type === 'CUSTOMER') },
    // Every page of its members was listed above; a failed page fails the whole read.
    membersRead: true,
  };
  out.resources.push(resource);
  for (const m of users) {
    const id = m.id!;
    // A member outside the customer (a personal or partner address) has no user record; it is
    // reported as an account of its own so the review shows it instead of dropping the grant.
    if (!seen.userIds.has(id) && !seen.externals.has(id)) {
      seen.externals.add(id);
      out.accounts.push(externalAccount(id, m.email ?? id));
    }
    out.grants.push({ accountExternalId: id, resourceExternalId: g.id, via: 'direct' });
  }
  const childGroups = members.filter((m) => m.type === 'GROUP' && m.id).map((m) => m.id!);
  seen.graph.add(g.id, users.map((m) => m.id!), childGroups);
}

function externalAccount(id: string, email: string): SourceAccount {
  return {
    externalId: id,
    system: 'google',
    login: email,
    email,
    displayName: null,
    status: 'active',
    rawStatus: 'external',
    lastLoginAt: null,
    person: null,
    attrs: { external: true },
  };
}
