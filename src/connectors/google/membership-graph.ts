import type { SourceGrant } from '../types.js';

/**
 * Direct memberships of every group, kept so that users of a nested group can be reported as
 * holding the parent group too (`via: group:<nested group id>`), which is the access Google
 * actually gives them. Removing such a grant means removing the user from the nested group,
 * so `via` names the group the user is a direct member of, however deep it sits.
 */
export class MembershipGraph {
  private readonly users = new Map<string, string[]>();
  private readonly children = new Map<string, string[]>();

  add(groupId: string, userIds: string[], childGroupIds: string[]): void {
    this.users.set(groupId, userIds);
    if (childGroupIds.length > 0) this.children.set(groupId, childGroupIds);
  }

  nestedGrants(): SourceGrant[] {
    const grants: SourceGrant[] = [];
    for (const parent of this.children.keys()) {
      // Google forbids cycles, but a visited set keeps a surprise from looping forever.
      const seen = new Set<string>([parent]);
      const stack = [...(this.children.get(parent) ?? [])];
      while (stack.length > 0) {
        const group = stack.pop()!;
        if (seen.has(group)) continue;
        seen.add(group);
        for (const userId of this.users.get(group) ?? []) {
          grants.push({ accountExternalId: userId, resourceExternalId: parent, via: `group:${group}` });
        }
        stack.push(...(this.children.get(group) ?? []));
      }
    }
    return grants;
  }
}
