import type { GrantRef } from '../types.js';
import { PermanentError } from '../types.js';
import { classifyOktaError, statusOf } from './classify-error.js';
import type { OktaContext } from './context.js';
import { roleKey, type RoleAssignment } from './map-resources.js';
import { viaGroupId } from './memberships.js';
import { pagesOf } from './pages.js';

/**
 * Direct grants only: access held through a group goes with the membership, and Okta manages
 * memberships only of OKTA_GROUP groups (app imports own APP_GROUP ones, Okta owns Everyone).
 */
export function canRemove(ctx: OktaContext, grant: GrantRef): boolean {
  if (grant.via !== 'direct') return false;
  if (grant.resourceKind !== 'group') return true;
  const type = ctx.groupTypes.get(grant.resourceExternalId);
  return type === undefined || type === 'OKTA_GROUP';
}

/**
 * Removes a membership, a direct app assignment or a directly assigned admin role. Something
 * already gone (404) counts as removed, so a repeated removal is harmless.
 */
export async function removeGrant(ctx: OktaContext, grant: GrantRef): Promise<void> {
  const userId = grant.accountExternalId;
  const resourceId = grant.resourceExternalId;
  const group = viaGroupId(grant.via);
  if (group !== undefined) {
    throw new PermanentError(
      `Okta: user ${userId} holds ${grant.resourceKind} ${resourceId} through group ${group}; ` +
        'it can only be removed through the group (remove the user from it, or the group from the assignment)',
    );
  }
  try {
    if (grant.resourceKind === 'group') await ctx.client.groupApi.unassignUserFromGroup({ groupId: resourceId, userId });
    else if (grant.resourceKind === 'app') await ctx.client.applicationApi.unassignUserFromApplication({ appId: resourceId, userId });
    else await unassignRole(ctx, userId, resourceId);
  } catch (err) {
    if (statusOf(err) === 404) return;
    throw classifyOktaError(err, `removing user ${userId} from ${grant.resourceKind} ${resourceId}`);
  }
}

/** A role resource is a role type: find this user's own assignment(s) of it and unassign them. */
async function unassignRole(ctx: OktaContext, userId: string, key: string): Promise<void> {
  const own: string[] = [];
  let inherited: string | undefined;
  for await (const page of pagesOf(ctx.client.roleAssignmentApi.listAssignedRolesForUser({ userId }))) {
    for (const role of page as RoleAssignment[]) {
      if (roleKey(role) !== key || !role.id) continue;
      if (role.assignmentType === 'GROUP') inherited = role._links?.assignee?.href ?? 'a group';
      else own.push(role.id);
    }
  }
  if (!own.length && inherited) {
    throw new PermanentError(`Okta: user ${userId} holds role ${key} through ${inherited}; it can only be removed through the group`);
  }
  for (const roleId of own) await ctx.client.roleAssignmentApi.unassignRoleFromUser({ userId, roleId });
}
