import type { Application, Group } from '@okta/okta-sdk-nodejs';
import type { SourceResource } from '../types.js';

/*
 * Every resource reported here has its holders listed in the same read (a group's members, an
 * app's users, a role's assignees), and a failed page fails the whole read: `membersRead: true`.
 */

export function toGroupResource(group: Group): SourceResource {
  return {
    externalId: group.id ?? '',
    system: 'okta',
    kind: 'group',
    name: group.profile?.name ?? group.id ?? '',
    privileged: false,
    attrs: { type: group.type ?? null, description: group.profile?.description ?? null },
    membersRead: true,
  };
}

export function toAppResource(app: Application): SourceResource {
  // `name` (the integration, e.g. `salesforce`) lives on the sign-on-mode subclasses.
  const name = (app as { name?: string }).name;
  return {
    externalId: app.id ?? '',
    system: 'okta',
    kind: 'app',
    name: app.label ?? name ?? app.id ?? '',
    privileged: false,
    attrs: { name: name ?? null, signOnMode: app.signOnMode ?? null, status: app.status ?? null },
    membersRead: true,
  };
}

/** The parts of a role assignment (StandardRole or CustomRole) the connector reads. */
export interface RoleAssignment {
  id?: string;
  type?: string;
  label?: string;
  assignmentType?: string;
  role?: string;
  /** The SDK renames the wire's `resource-set`; both spellings are read. */
  resource_set?: string;
  'resource-set'?: string;
  _links?: { assignee?: { href?: string } };
}

/**
 * One resource per role type (`SUPER_ADMIN`, …); a custom role is its role and resource set,
 * since the same custom role over two resource sets grants different things.
 */
export function roleKey(r: RoleAssignment): string {
  if (r.type === 'CUSTOM') return `CUSTOM:${r.role ?? '?'}:${resourceSet(r) ?? '?'}`;
  return r.type ?? 'UNKNOWN';
}

function resourceSet(r: RoleAssignment): string | undefined {
  return r.resource_set ?? r['resource-set'];
}

export function toRoleResource(r: RoleAssignment): SourceResource {
  return {
    externalId: roleKey(r),
    system: 'okta',
    kind: 'role',
    name: r.label ?? r.type ?? 'Admin role',
    privileged: true,
    attrs: { type: r.type ?? null, ...(r.type === 'CUSTOM' ? { role: r.role ?? null, resourceSet: resourceSet(r) ?? null } : {}) },
    membersRead: true,
  };
}
