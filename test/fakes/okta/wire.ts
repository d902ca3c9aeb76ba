import type { FakeApp, FakeAppUser, FakeFactor, FakeGroup, FakeRole, FakeUser, OktaOrg } from './org.js';

/** JSON bodies in the shapes of specs/okta/management-*.yaml (User, Group, Application, …). */

/** A UserFactor as GET /api/v1/users/{id}/factors lists it. */
export function factorJson(base: string, userId: string, f: FakeFactor): Record<string, unknown> {
  return {
    id: f.id,
    factorType: f.factorType,
    provider: f.provider,
    vendorName: f.provider,
    status: f.status,
    created: '2026-01-01T00:00:00.000Z',
    lastUpdated: '2026-01-01T00:00:00.000Z',
    profile: {},
    _links: { self: { href: `${base}/api/v1/users/${userId}/factors/${f.id}` }, user: { href: `${base}/api/v1/users/${userId}` } },
  };
}

export function userJson(base: string, u: FakeUser): Record<string, unknown> {
  const self = `${base}/api/v1/users/${u.id}`;
  return {
    id: u.id,
    status: u.status,
    created: u.created,
    activated: u.status === 'STAGED' ? null : u.created,
    statusChanged: u.statusChanged,
    lastLogin: u.lastLogin,
    lastUpdated: u.statusChanged,
    passwordChanged: u.status === 'STAGED' ? null : u.created,
    type: { id: 'oty1fake0000000000g4' },
    profile: u.profile,
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: {
      self: { href: self },
      ...(u.status === 'ACTIVE' ? { suspend: { href: `${self}/lifecycle/suspend`, method: 'POST' } } : {}),
      ...(u.status !== 'DEPROVISIONED' ? { deactivate: { href: `${self}/lifecycle/deactivate`, method: 'POST' } } : {}),
    },
  };
}

export function groupJson(base: string, g: FakeGroup): Record<string, unknown> {
  const self = `${base}/api/v1/groups/${g.id}`;
  return {
    id: g.id,
    created: g.created,
    lastUpdated: g.created,
    lastMembershipUpdated: g.created,
    objectClass: [g.type === 'APP_GROUP' ? 'okta:windows_security_principal' : 'okta:user_group'],
    type: g.type,
    profile: { name: g.name, description: g.description },
    _links: {
      logo: [],
      users: { href: `${self}/users` },
      apps: { href: `${self}/apps` },
    },
  };
}

export function appJson(base: string, a: FakeApp): Record<string, unknown> {
  const self = `${base}/api/v1/apps/${a.id}`;
  return {
    id: a.id,
    orn: `orn:okta:idp:00ofake:apps:${a.name}:${a.id}`,
    name: a.name,
    label: a.label,
    status: a.status,
    created: a.created,
    lastUpdated: a.created,
    signOnMode: a.signOnMode,
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: {} },
    features: [],
    credentials: { userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, signing: {} },
    settings: { app: {} },
    _links: {
      self: { href: self },
      users: { href: `${self}/users` },
      groups: { href: `${self}/groups` },
      deactivate: { href: `${self}/lifecycle/deactivate` },
    },
  };
}

export function appUserJson(base: string, org: OktaOrg, appId: string, au: FakeAppUser): Record<string, unknown> {
  const user = org.users.get(au.userId);
  return {
    id: au.userId,
    externalId: null,
    created: user?.created,
    lastUpdated: user?.statusChanged,
    scope: au.scope,
    status: 'ACTIVE',
    statusChanged: user?.created,
    passwordChanged: null,
    syncState: 'DISABLED',
    credentials: { userName: user?.profile.login ?? au.userId },
    profile: {},
    _links: {
      app: { href: `${base}/api/v1/apps/${appId}` },
      user: { href: `${base}/api/v1/users/${au.userId}` },
    },
  };
}

export function appGroupJson(base: string, appId: string, groupId: string, priority: number): Record<string, unknown> {
  return {
    id: groupId,
    lastUpdated: '2024-01-01T00:00:00.000Z',
    priority,
    profile: {},
    _links: {
      app: { href: `${base}/api/v1/apps/${appId}` },
      self: { href: `${base}/api/v1/apps/${appId}/groups/${groupId}` },
      group: { href: `${base}/api/v1/groups/${groupId}` },
    },
  };
}

export function roleJson(base: string, userId: string, r: FakeRole): Record<string, unknown> {
  const assignee = r.assignmentType === 'GROUP' ? `${base}/api/v1/groups/${r.groupId}` : `${base}/api/v1/users/${userId}`;
  return {
    id: r.id,
    label: r.label,
    type: r.type,
    status: 'ACTIVE',
    created: '2024-01-01T00:00:00.000Z',
    lastUpdated: '2024-01-01T00:00:00.000Z',
    assignmentType: r.assignmentType,
    ...(r.type === 'CUSTOM' ? { role: r.role, 'resource-set': r.resourceSet } : {}),
    _links: { assignee: { href: assignee } },
  };
}

export function roleAssigneeJson(base: string, userId: string): Record<string, unknown> {
  return {
    id: userId,
    orn: `orn:okta:directory:00ofake:users:${userId}`,
    _links: {
      self: { href: `${base}/api/v1/users/${userId}` },
      roles: { href: `${base}/api/v1/users/${userId}/roles` },
    },
  };
}

/** Okta's error body (components/schemas/Error). */
export function oktaError(errorCode: string, errorSummary: string, causes: string[] = []): Record<string, unknown> {
  return {
    errorCode,
    errorSummary,
    errorLink: errorCode,
    errorId: `oae${Math.random().toString(36).slice(2, 12)}`,
    errorCauses: causes.map((c) => ({ errorSummary: c })),
  };
}
