import type { DirectoryStore } from './directory-store.js';
import { googleError } from './google-errors.js';
import { pageOf } from './paging.js';

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  op: string;
  methods: string[];
  pattern: RegExp;
  /** Any one of these scopes on the token lets the call through (else 403). */
  scopes: string[];
  handle(params: string[], query: URLSearchParams, body: Record<string, unknown>, store: DirectoryStore): RouteResult;
}

const scope = (s: string) => `https://www.googleapis.com/auth/admin.directory.${s}`;
const USER_READ = [scope('user.readonly'), scope('user')];
const GROUP_READ = [scope('group.readonly'), scope('group')];
const MEMBER_READ = [scope('group.member.readonly'), scope('group.member'), ...GROUP_READ];
const MEMBER_WRITE = [scope('group.member'), scope('group')];

const BASE = '/admin/directory/v1';
const ok = (body?: unknown): RouteResult => ({ status: body === undefined ? 204 : 200, body });
const notFound = (what: string): RouteResult => ({ status: 404, body: googleError(404, `Resource Not Found: ${what}`, 'notFound') });
const badRequest = (message = 'Bad Request'): RouteResult => ({ status: 400, body: googleError(400, message, 'badRequest') });

/** A list answer; Google leaves the array out entirely when it is empty. */
function listBody(kind: string, key: string, page: { items: unknown[]; nextPageToken?: string }) {
  return {
    kind,
    etag: '"fake-list-etag"',
    ...(page.items.length > 0 ? { [key]: page.items } : {}),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}

function customerOk(q: URLSearchParams, store: DirectoryStore): boolean {
  const customer = q.get('customer');
  if (customer) return customer === 'my_customer' || customer === store.customerId;
  return q.has('domain');
}

export const ROUTES: Route[] = [
  {
    op: 'users.list',
    methods: ['GET'],
    pattern: new RegExp(`^${BASE}/users$`),
    scopes: USER_READ,
    handle: (_p, q, _b, store) => {
      if (!customerOk(q, store)) return badRequest();
      const projection = q.get('projection');
      if (projection && !['basic', 'custom', 'full'].includes(projection)) return badRequest('Invalid value for projection');
      // showDeleted is ignored: the fake holds no deleted users.
      const page = pageOf(store.users, q, { default: 100, max: 500 });
      return 'error' in page ? badRequest(page.error) : ok(listBody('admin#directory#users', 'users', page));
    },
  },
  {
    op: 'users.get',
    methods: ['GET'],
    pattern: new RegExp(`^${BASE}/users/([^/]+)$`),
    scopes: USER_READ,
    handle: ([key], _q, _b, store) => {
      const user = store.findUser(key!);
      return user ? ok(user) : notFound('userKey');
    },
  },
  {
    op: 'users.update',
    methods: ['PUT', 'PATCH'],
    pattern: new RegExp(`^${BASE}/users/([^/]+)$`),
    scopes: [scope('user')],
    handle: ([key], _q, body, store) => {
      const user = store.findUser(key!);
      if (!user) return notFound('userKey');
      for (const field of ['suspended', 'archived', 'orgUnitPath'] as const) {
        if (field in body) Object.assign(user, { [field]: body[field] });
      }
      if (body.suspended === true) user.suspensionReason = 'ADMIN';
      user.etag = `"fake-etag-updated-${Date.now()}"`;
      return ok(user);
    },
  },
  {
    op: 'groups.list',
    methods: ['GET'],
    pattern: new RegExp(`^${BASE}/groups$`),
    scopes: GROUP_READ,
    handle: (_p, q, _b, store) => {
      if (!customerOk(q, store) && !q.has('userKey')) return badRequest();
      const page = pageOf(store.groups, q, { default: 200, max: 200 });
      return 'error' in page ? badRequest(page.error) : ok(listBody('admin#directory#groups', 'groups', page));
    },
  },
  {
    op: 'members.list',
    methods: ['GET'],
    pattern: new RegExp(`^${BASE}/groups/([^/]+)/members$`),
    scopes: MEMBER_READ,
    handle: ([key], q, _b, store) => {
      const members = store.membersOf(key!);
      if (!members) return notFound('groupKey');
      const page = pageOf(members, q, { default: 200, max: 200 });
      return 'error' in page ? badRequest(page.error) : ok(listBody('admin#directory#members', 'members', page));
    },
  },
  {
    op: 'members.insert',
    methods: ['POST'],
    pattern: new RegExp(`^${BASE}/groups/([^/]+)/members$`),
    scopes: MEMBER_WRITE,
    handle: ([key], _q, body, store) => {
      const group = store.findGroup(key!);
      if (!group) return notFound('groupKey');
      const who = typeof body.email === 'string' ? body.email : typeof body.id === 'string' ? body.id : undefined;
      if (!who) return badRequest('Missing required field: member');
      if (store.membersOf(group.id)!.some((m) => m.id === who || m.email.toLowerCase() === who.toLowerCase())) {
        return { status: 409, body: googleError(409, 'Member already exists.', 'duplicate') };
      }
      const target = store.findUser(who) ?? store.findGroup(who) ?? (who.includes('@') ? who : undefined);
      if (!target) return notFound('memberKey');
      const role = body.role === 'OWNER' || body.role === 'MANAGER' ? body.role : 'MEMBER';
      return ok(store.addMember(group.id, target, role));
    },
  },
  {
    op: 'members.delete',
    methods: ['DELETE'],
    pattern: new RegExp(`^${BASE}/groups/([^/]+)/members/([^/]+)$`),
    scopes: MEMBER_WRITE,
    handle: ([groupKey, memberKey], _q, _b, store) => {
      const group = store.findGroup(groupKey!);
      if (!group) return notFound('groupKey');
      return store.removeMember(group.id, memberKey!) ? ok() : notFound('memberKey');
    },
  },
];
