import type { OktaOrg } from './org.js';

/** Pages each list needs at the largest limits, from the org itself rather than from the connector. */
export function minimumRequests(org: OktaOrg): number {
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const deprovisioned = [...org.users.values()].filter((u) => u.status === 'DEPROVISIONED').length;
  let total = pages(org.users.size - deprovisioned, 200) + pages(deprovisioned, 200) + pages(org.groups.size, 10_000);
  for (const members of org.members.values()) total += pages(members.size, 1000);
  const active = [...org.apps.values()].filter((a) => a.status === 'ACTIVE');
  total += pages(active.length, 200);
  for (const a of active) total += pages(org.appGroups.get(a.id)!.size, 200) + pages(org.appUsers(a.id).length, 500);
  const assignees = org.roleAssignees().length;
  return total + pages(assignees, 100) + assignees;
}
