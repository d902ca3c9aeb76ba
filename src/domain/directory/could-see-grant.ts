import type { SourceSnapshot } from './read-source.js';

/**
 * Could this read have seen a grant of this account on this resource? Only then does the grant's
 * absence mean the access is gone. The resource must have had its holders listed, or be missing
 * from a read that listed every resource (then it was deleted); the account likewise must have
 * been listed, or be missing from a read that listed every account. A grant the read could not
 * have seen is neither removed nor taken as proof of a removal: it stays as last seen.
 */
export function couldSeeGrant(
  next: Pick<SourceSnapshot, 'accounts' | 'resources' | 'coverage'>,
  accountExternalId: string,
  resourceExternalId: string,
): boolean {
  const resource = next.resources.get(resourceExternalId);
  const holdersListed = resource ? resource.membersRead !== false : next.coverage.resources;
  const accountListed = next.accounts.has(accountExternalId) || next.coverage.accounts;
  return holdersListed && accountListed;
}
