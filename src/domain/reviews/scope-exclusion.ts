import { USABLE_STATUSES, type AccountStatus } from '../../connectors/types.js';
import type { CampaignScope } from '../../db/schema/index.js';
import type { PersonInfo } from './load-people-index.js';
import type { PopulationRow } from './load-population.js';

/** Reasons a live grant is left out of a campaign, as counted in dry runs and provenance. */
export const EXCLUSION = {
  inactiveAccount: 'inactive account',
  removedResource: 'removed resource',
  system: 'out-of-scope system',
  resource: 'out-of-scope resource',
  notPrivileged: 'not privileged',
  department: 'other department',
  person: 'person not in scope',
  orphanPersonScope: 'orphaned account (campaign scoped to named people)',
} as const;

/**
 * Why this grant is not reviewed in a campaign with this scope, or null when it is.
 *
 * Orphaned accounts (no person) have no department, but they are exactly what a review must
 * catch, so a department scope keeps them (routed to the resource owner). Only a campaign
 * scoped to named people leaves them out: it is about those people, not the systems.
 */
export function scopeExclusion(row: PopulationRow, subject: PersonInfo | undefined, scope: CampaignScope): string | null {
  if (row.accountRemovedAt || !USABLE_STATUSES.includes(row.accountStatus as AccountStatus)) return EXCLUSION.inactiveAccount;
  if (row.resourceRemovedAt) return EXCLUSION.removedResource;
  if (scope.systems?.length && !scope.systems.includes(row.system)) return EXCLUSION.system;
  if (scope.resourceIds?.length && !scope.resourceIds.includes(row.resourceId)) return EXCLUSION.resource;
  if (scope.privilegedOnly && !(row.grantPrivileged || row.resourcePrivileged)) return EXCLUSION.notPrivileged;
  if (scope.personIds?.length) {
    if (!subject) return EXCLUSION.orphanPersonScope;
    if (!scope.personIds.includes(subject.id)) return EXCLUSION.person;
  }
  if (scope.departments?.length && subject && !scope.departments.includes(subject.department ?? '')) return EXCLUSION.department;
  return null;
}
