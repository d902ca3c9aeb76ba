import type { DirectoryPage, SourceGrant, SourceResource } from '../types.js';
import { PermanentError } from '../types.js';
import { flatMapConcurrent } from './concurrency.js';
import { PAGE_SIZE, type OktaContext } from './context.js';
import { roleKey, toRoleResource, type RoleAssignment } from './map-resources.js';
import { groupVia } from './memberships.js';
import { afterCursor, pagesOf } from './pages.js';

/**
 * Admin role assignments: the users that hold roles, then each one's roles. Every role is a
 * privileged resource and every assignment a privileged grant; a role held through a group is
 * reported via that group. Roles assigned to groups are not listed per group (only through the
 * members the assignees list returns).
 */
export function readRoles(ctx: OktaContext): AsyncIterable<DirectoryPage> {
  const seen = new Set<string>();
  return flatMapConcurrent(assignees(ctx), ctx.width, async function* (userId) {
    const resources: SourceResource[] = [];
    const grants: SourceGrant[] = [];
    for await (const page of pagesOf(ctx.client.roleAssignmentApi.listAssignedRolesForUser({ userId }))) {
      for (const role of page as RoleAssignment[]) {
        const key = roleKey(role);
        if (!seen.has(key)) {
          seen.add(key);
          resources.push(toRoleResource(role));
        }
        grants.push({ accountExternalId: userId, resourceExternalId: key, via: roleVia(role), privileged: true });
      }
    }
    yield { resources, grants };
  });
}

/** This list pages in its body (`_links.next`), so the SDK returns one page and we follow it. */
async function* assignees(ctx: OktaContext): AsyncGenerator<string> {
  let after: string | undefined;
  do {
    const res = await ctx.client.roleAssignmentApi.listUsersWithRoleAssignments({ limit: PAGE_SIZE.roleAssignees, after });
    for (const u of res.value ?? []) if (u.id) yield u.id;
    const next = afterCursor(res._links?.next?.href);
    if (next !== undefined && next === after) throw new PermanentError('Okta: role assignees list repeated its cursor');
    after = next;
  } while (after);
}

function roleVia(role: RoleAssignment): string {
  if (role.assignmentType !== 'GROUP') return 'direct';
  const m = /\/groups\/([^/?]+)/.exec(role._links?.assignee?.href ?? '');
  return groupVia(m?.[1] ?? 'unknown');
}
