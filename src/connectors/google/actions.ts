import type { ConnectorActions, GrantRef } from '../types.js';
import { PermanentError } from '../types.js';
import type { GoogleCall } from './call-google.js';
import type { Directory } from './directory-client.js';

export interface ActionDeps {
  /** A client holding the write scopes; created on first use. */
  directory: () => Promise<Directory>;
  call: GoogleCall;
}

/**
 * Only a direct group membership is removed automatically. One held through a nested group must
 * be removed there, and admin roles are left to a person: demoting a super admin by robot can
 * lock an organisation out of its own console.
 */
export function canRemove(grant: GrantRef): boolean {
  return grant.resourceKind === 'group' && grant.via === 'direct';
}

export function createActions({ directory, call }: ActionDeps): Required<ConnectorActions> {
  // Google has no "deactivated" state short of deletion; suspension blocks sign-in and keeps data.
  const suspend = async (userKey: string) => {
    const dir = await directory();
    await call('users.update', (o) => dir.users.update({ userKey, requestBody: { suspended: true } }, o));
  };
  return {
    suspendAccount: suspend,
    deactivateAccount: suspend,
    async removeGrant(grant) {
      if (!canRemove(grant)) {
        throw new PermanentError(`google: ${grant.resourceKind} grant via ${grant.via} cannot be removed automatically`);
      }
      const dir = await directory();
      // 404: not a member (any more). A retried removal whose first answer was lost ends here.
      const params = { groupKey: grant.resourceExternalId, memberKey: grant.accountExternalId };
      await call('members.delete', (o) => dir.members.delete(params, o), undefined, [404]);
    },
    async addGroupMembership(accountExternalId, groupExternalId) {
      const dir = await directory();
      // members.insert is documented to take the member's email; the account id is what we hold.
      const user = await call('users.get', (o) => dir.users.get({ userKey: accountExternalId }, o));
      if (!user.primaryEmail) throw new PermanentError(`google: user ${accountExternalId} has no primary email`);
      const requestBody = { email: user.primaryEmail, role: 'MEMBER' };
      // 409: already a member, which is the state we want.
      await call('members.insert', (o) => dir.members.insert({ groupKey: groupExternalId, requestBody }, o), undefined, [409]);
    },
  };
}
