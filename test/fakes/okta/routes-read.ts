import { listResult, pageOf, type Route, type RouteContext, type RouteResult } from './route-kit.js';
import { appGroupJson, appJson, appUserJson, factorJson, groupJson, oktaError, roleAssigneeJson, roleJson, userJson } from './wire.js';

/** Page sizes per endpoint: the spec's default and the largest `limit` Okta honours. */
export const PAGE_RULES = {
  users: { defaultLimit: 200, maxLimit: 200 },
  groups: { defaultLimit: 10_000, maxLimit: 10_000 },
  groupUsers: { defaultLimit: 1000, maxLimit: 1000 },
  apps: { defaultLimit: 20, maxLimit: 200 },
  appUsers: { defaultLimit: 50, maxLimit: 500 },
  appGroups: { defaultLimit: 20, maxLimit: 200 },
  roleAssignees: { defaultLimit: 100, maxLimit: 100 },
} as const;

const notFound = (what: string): RouteResult => ({ status: 404, body: oktaError('E0000007', `Not found: Resource not found: ${what} (${what.split(' ')[0]})`) });

/**
 * `status eq "X"` terms joined by `or` (enough for what Attest asks); anything else is refused as
 * Okta refuses an expression it cannot parse.
 */
function statusExpression(expr: string | null): Set<string> | null | 'invalid' {
  if (expr === null) return null;
  const statuses = new Set<string>();
  for (const term of expr.split(/\s+or\s+/i)) {
    const m = /^\(?\s*status\s+eq\s+"([A-Z_]+)"\s*\)?$/i.exec(term.trim());
    if (!m) return 'invalid';
    statuses.add((m[1] as string).toUpperCase());
  }
  return statuses;
}

function listUsers(ctx: RouteContext): RouteResult {
  const expr = statusExpression(ctx.query.get('filter') ?? ctx.query.get('search'));
  if (expr === 'invalid') return { status: 400, body: oktaError('E0000031', 'Invalid search criteria.') };
  const users = ctx.org.users;
  // Without filter or search Okta leaves DEPROVISIONED users out.
  const keep = (id: string) => {
    const status = users.get(id)?.status ?? '';
    return expr ? expr.has(status) : status !== 'DEPROVISIONED';
  };
  return listResult(ctx, pageOf(ctx, ctx.org.userIds.values(), PAGE_RULES.users, (id) => userJson(ctx.base, users.get(id)!), keep));
}

function listApps(ctx: RouteContext): RouteResult {
  const expr = statusExpression(ctx.query.get('filter'));
  if (expr === 'invalid') return { status: 400, body: oktaError('E0000031', 'Invalid search criteria.') };
  const apps = ctx.org.apps;
  const keep = (id: string) => !expr || expr.has(apps.get(id)?.status ?? '');
  return listResult(ctx, pageOf(ctx, ctx.org.appIds.values(), PAGE_RULES.apps, (id) => appJson(ctx.base, apps.get(id)!), keep));
}

function listAppUsers(ctx: RouteContext): RouteResult {
  const appId = ctx.params.appId as string;
  if (!ctx.org.apps.has(appId)) return notFound(`App ${appId}`);
  const byId = new Map(ctx.org.appUsers(appId).map((au) => [au.userId, au]));
  const page = pageOf(ctx, [...byId.keys()], PAGE_RULES.appUsers, (id) => appUserJson(ctx.base, ctx.org, appId, byId.get(id)!));
  return listResult(ctx, page);
}

function listRoleAssignees(ctx: RouteContext): RouteResult {
  // This one pages in the body (`_links.next`), not in a Link header.
  const page = pageOf(ctx, ctx.org.roleAssignees(), PAGE_RULES.roleAssignees, (id) => roleAssigneeJson(ctx.base, id));
  return { status: 200, body: { value: page.items, _links: page.next ? { next: { href: page.next } } : {} } };
}

/** Okta looks a user up by id, or by login (URL-encoded, compared without regard to case). */
function userByIdOrLogin(ctx: RouteContext, raw: string) {
  const key = decodeURIComponent(raw);
  const byId = ctx.org.users.get(key);
  if (byId) return byId;
  const login = key.toLowerCase();
  for (const u of ctx.org.users.values()) if (u.profile.login?.toLowerCase() === login) return u;
  return undefined;
}

export const readRoutes: Route[] = [
  { method: 'GET', pattern: /^\/api\/v1\/users$/, scope: 'okta.users.read', handle: listUsers },
  {
    // Not paged: Okta returns a user's enrolled factors as one array.
    method: 'GET',
    pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/factors$/,
    scope: 'okta.users.read',
    handle: (ctx) => {
      const user = ctx.org.users.get(decodeURIComponent(ctx.params.userId as string));
      if (!user) return notFound(`User ${ctx.params.userId}`);
      return { status: 200, body: (user.factors ?? []).map((f) => factorJson(ctx.base, user.id, f)) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)$/,
    scope: 'okta.users.read',
    handle: (ctx) => {
      const user = userByIdOrLogin(ctx, ctx.params.userId as string);
      return user ? { status: 200, body: userJson(ctx.base, user) } : notFound(`User ${ctx.params.userId}`);
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/groups$/,
    scope: 'okta.groups.read',
    handle: (ctx) => listResult(ctx, pageOf(ctx, ctx.org.groupIds.values(), PAGE_RULES.groups, (id) => groupJson(ctx.base, ctx.org.groups.get(id)!))),
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/groups\/(?<groupId>[^/]+)\/users$/,
    scope: 'okta.groups.read',
    handle: (ctx) => {
      const members = ctx.org.members.get(ctx.params.groupId as string);
      if (!members) return notFound(`Group ${ctx.params.groupId}`);
      return listResult(ctx, pageOf(ctx, members.values(), PAGE_RULES.groupUsers, (id) => userJson(ctx.base, ctx.org.users.get(id)!)));
    },
  },
  { method: 'GET', pattern: /^\/api\/v1\/apps$/, scope: 'okta.apps.read', handle: listApps },
  { method: 'GET', pattern: /^\/api\/v1\/apps\/(?<appId>[^/]+)\/users$/, scope: 'okta.apps.read', handle: listAppUsers },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/apps\/(?<appId>[^/]+)\/users\/(?<userId>[^/]+)$/,
    scope: 'okta.apps.read',
    handle: (ctx) => {
      const appId = ctx.params.appId as string;
      const au = ctx.org.appUsers(appId).find((a) => a.userId === ctx.params.userId);
      return au ? { status: 200, body: appUserJson(ctx.base, ctx.org, appId, au) } : notFound(`AppUser ${ctx.params.userId}`);
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/apps\/(?<appId>[^/]+)\/groups$/,
    scope: 'okta.apps.read',
    handle: (ctx) => {
      const appId = ctx.params.appId as string;
      const groups = ctx.org.appGroups.get(appId);
      if (!groups) return notFound(`App ${appId}`);
      const ids = groups.values();
      return listResult(ctx, pageOf(ctx, ids, PAGE_RULES.appGroups, (id) => appGroupJson(ctx.base, appId, id, ids.indexOf(id))));
    },
  },
  { method: 'GET', pattern: /^\/api\/v1\/iam\/assignees\/users$/, scope: 'okta.roles.read', handle: listRoleAssignees },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/roles$/,
    scope: 'okta.roles.read',
    handle: (ctx) => {
      const userId = ctx.params.userId as string;
      if (!ctx.org.users.has(userId)) return notFound(`User ${userId}`);
      return { status: 200, body: ctx.org.rolesOf(userId).map((r) => roleJson(ctx.base, userId, r)) };
    },
  },
];
