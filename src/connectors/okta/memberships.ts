/**
 * Members of the groups that are assigned to apps, recorded while groups are read, so an app
 * assignment Okta reports with scope GROUP can be traced to the group(s) that hold it. Only
 * those groups are kept, not every membership in the org.
 */
export class Memberships {
  private readonly byGroup = new Map<string, Set<string>>();

  constructor(groupIds: Iterable<string>) {
    for (const id of groupIds) this.byGroup.set(id, new Set());
  }

  record(groupId: string, userIds: readonly string[]): void {
    const set = this.byGroup.get(groupId);
    if (set) for (const id of userIds) set.add(id);
  }

  /** Of the given groups, those the user belongs to. */
  holding(groupIds: readonly string[], userId: string): string[] {
    return groupIds.filter((g) => this.byGroup.get(g)?.has(userId));
  }
}

export const groupVia = (groupId: string): string => `group:${groupId}`;

export function viaGroupId(via: string): string | undefined {
  return via.startsWith('group:') ? via.slice('group:'.length) : undefined;
}
