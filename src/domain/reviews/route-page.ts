import type { Db } from '../../db/client.js';
import type { Campaign } from '../../db/schema/index.js';
import { assignReviewer, type Assignment } from './assign-reviewer.js';
import { findGrantApprovers } from './find-grant-approvers.js';
import { loadPeopleIndex, type PeopleIndex } from './load-people-index.js';
import type { PopulationRow } from './scan-population.js';
import { resolveEmails } from './resolve-emails.js';

export interface RoutedPage {
  routed: { row: PopulationRow; assignment: Assignment }[];
  /** Everyone routing looked at for this page (subjects, candidates and their managers). */
  people: PeopleIndex;
}

/**
 * Routes one page of the population: loads only the people this page can route to (its
 * subjects, resource owners, the campaign owner and admins, and the managers above them) and
 * the approvals of its grants, then applies `assignReviewer` to each grant.
 * `ownerByEmail` caches resource owners named by email across pages (lower-cased email → id).
 */
export async function routePage(
  db: Db,
  c: Pick<Campaign, 'reviewerRule' | 'ownerId'>,
  adminIds: string[],
  page: PopulationRow[],
  ownerByEmail: Map<string, string | null>,
): Promise<RoutedPage> {
  if (page.length === 0) return { routed: [], people: { byId: new Map(), byEmail: new Map(), bySlackId: new Map() } };
  const unresolved = page.flatMap((r) => (!r.resourceOwnerId && r.resourceOwnerEmail && !ownerByEmail.has(r.resourceOwnerEmail.toLowerCase()) ? [r.resourceOwnerEmail] : []));
  if (unresolved.length > 0) {
    const found = await resolveEmails(db, unresolved);
    for (const e of unresolved) ownerByEmail.set(e.toLowerCase(), found.get(e.toLowerCase()) ?? null);
  }
  const ownerOf = (r: PopulationRow) => r.resourceOwnerId ?? (r.resourceOwnerEmail ? (ownerByEmail.get(r.resourceOwnerEmail.toLowerCase()) ?? null) : null);
  const seeds = [c.ownerId, ...adminIds];
  for (const r of page) {
    if (r.personId) seeds.push(r.personId);
    const owner = ownerOf(r);
    if (owner) seeds.push(owner);
  }
  const people = await loadPeopleIndex(db, seeds);
  const approversOf = await findGrantApprovers(db, page);
  const ctx = { rule: c.reviewerRule, campaignOwnerId: c.ownerId, adminIds, people, approversOf };
  const routed = page.map((row) => ({
    row,
    assignment: assignReviewer(ctx, { grantId: row.grantId, subjectId: row.personId, resourceOwnerId: ownerOf(row), resourceName: row.resourceName }),
  }));
  return { routed, people };
}
