import type { ItemSnapshot } from '../../db/schema/index.js';
import type { PeopleIndex } from './load-people-index.js';
import type { PopulationRow } from './load-population.js';

/**
 * The frozen copy a reviewer decides on. Copied, not referenced: a later sync that renames,
 * moves or removes anything must not change what was reviewed.
 */
export function buildSnapshot(row: PopulationRow, people: PeopleIndex): ItemSnapshot {
  const subject = row.personId ? people.byId.get(row.personId) : undefined;
  const manager = subject?.managerId ? people.byId.get(subject.managerId) : undefined;
  return {
    personId: subject?.id ?? null,
    personName: subject?.name || row.accountName || row.accountLogin,
    personEmail: subject?.email ?? row.accountEmail ?? row.accountLogin,
    department: subject?.department ?? null,
    managerEmail: manager?.email ?? null,
    system: row.system,
    source: row.source,
    accountId: row.accountId,
    accountLogin: row.accountLogin,
    accountStatus: row.accountStatus,
    resourceId: row.resourceId,
    resourceName: row.resourceName,
    resourceKind: row.resourceKind,
    via: row.via,
    privileged: row.grantPrivileged || row.resourcePrivileged,
    lastLoginAt: row.lastLoginAt ? row.lastLoginAt.toISOString() : null,
  };
}
