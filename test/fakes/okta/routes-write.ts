import type { Route, RouteContext, RouteResult } from './route-kit.js';
import { oktaError } from './wire.js';

const notFound = (what: string): RouteResult => ({ status: 404, body: oktaError('E0000007', `Not found: Resource not found: ${what}`) });
const noContent: RouteResult = { status: 204 };

function lifecycle(ctx: RouteContext, action: 'deactivate' | 'suspend'): RouteResult {
  const user = ctx.org.users.get(ctx.params.userId as string);
  if (!user) return notFound(`User ${ctx.params.userId}`);
  if (action === 'deactivate' && user.status === 'DEPROVISIONED') {
    return { status: 400, body: oktaError('E0000001', 'Api validation failed: deactivate', ['The user is already deactivated.']) };
  }
  if (action === 'suspend' && user.status !== 'ACTIVE') {
    return { status: 400, body: oktaError('E0000001', 'Api validation failed: suspend', ['Only active users can be suspended.']) };
  }
  user.status = action === 'deactivate' ? 'DEPROVISIONED' : 'SUSPENDED';
  user.statusChanged = new Date().toISOString();
  return { status: 200, body: {} };
}

function membership(ctx: RouteContext, add: boolean): RouteResult {
  const groupId = ctx.params.groupId as string;
  const userId = ctx.params.userId as string;
  const group = ctx.org.groups.get(groupId);
  if (!group) return notFound(`Group ${groupId}`);
  if (!ctx.org.users.has(userId)) return notFound(`User ${userId}`);
  // Only OKTA_GROUP memberships are managed in Okta; app imports own the others.
  if (group.type !== 'OKTA_GROUP') return { status: 403, body: oktaError('E0000006', 'You do not have permission to perform the requested action') };
  const members = ctx.org.members.get(groupId)!;
  if (add) members.add(userId);
  else members.delete(userId);
  return noContent;
}

function unassignApp(ctx: RouteContext): RouteResult {
  const appId = ctx.params.appId as string;
  const userId = ctx.params.userId as string;
  const assigned = ctx.org.appUsers(appId).find((a) => a.userId === userId);
  if (!assigned) return notFound(`AppUser ${userId}`);
  const viaGroup = [...(ctx.org.appGroups.get(appId)?.values() ?? [])].some((g) => ctx.org.members.get(g)?.has(userId));
  // What Okta answers while a group assigned to the app still grants the user access.
  if (viaGroup) {
    return {
      status: 403,
      body: oktaError('E0000046', 'Deactivate application for user forbidden.', [
        'The application cannot be unassigned from the user while their group memberships grant them access',
      ]),
    };
  }
  ctx.org.appDirect.get(appId)?.delete(userId);
  return noContent;
}

function unassignRole(ctx: RouteContext): RouteResult {
  const userId = ctx.params.userId as string;
  const roles = ctx.org.userRoles.get(userId) ?? [];
  const kept = roles.filter((r) => r.id !== ctx.params.roleId);
  if (kept.length === roles.length) return notFound(`Role ${ctx.params.roleId}`);
  ctx.org.userRoles.set(userId, kept);
  return noContent;
}

export const writeRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/lifecycle\/deactivate$/,
    scope: 'okta.users.manage',
    handle: (ctx) => lifecycle(ctx, 'deactivate'),
  },
  {
    method: 'POST',
    pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/lifecycle\/suspend$/,
    scope: 'okta.users.manage',
    handle: (ctx) => lifecycle(ctx, 'suspend'),
  },
  {
    method: 'PUT',
    pattern: /^\/api\/v1\/groups\/(?<groupId>[^/]+)\/users\/(?<userId>[^/]+)$/,
    scope: 'okta.groups.manage',
    handle: (ctx) => membership(ctx, true),
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/v1\/groups\/(?<groupId>[^/]+)\/users\/(?<userId>[^/]+)$/,
    scope: 'okta.groups.manage',
    handle: (ctx) => membership(ctx, false),
  },
  { method: 'DELETE', pattern: /^\/api\/v1\/apps\/(?<appId>[^/]+)\/users\/(?<userId>[^/]+)$/, scope: 'okta.apps.manage', handle: unassignApp },
  { method: 'DELETE', pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/roles\/(?<roleId>[^/]+)$/, scope: 'okta.roles.manage', handle: unassignRole },
];
