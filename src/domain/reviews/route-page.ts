import type { Db } from '../../db/client.js';
import type { Campaign } from '../../db/schema/index.js';
import { assignReviewer, type Assignment } from './assign-reviewer.js';
import { findGrantApprovers } from './find-grant-approvers.js';
import { loadPeopleIndex, type PeopleIndex } from './load-people-index.js';
import type { PopulationRow } from './scan-population.js';
import { resolveEmails } from './resolve-emails.js';
import type { OwnerSource } from './types.js';

export interface RoutedPage {
  /** `ownerSource`: for an account of no person, whose owner reviews it; null otherwise. */
  routed: { row: PopulationRow; assignment: Assignment; ownerSource: OwnerSource | null }[];
  /** Everyone routing looked at for this page (subjects, candidates and their managers). */
  people: PeopleIndex;
}

/**
 * Routes one page of the population: loads only the people this page can route to (its
 * subjects, resource owners, the campaign owner and admins, and the managers above them) and
 * the approvals of its grants, then applies `assignReviewer` to each grant.
 * `ownerByEmail` caches owners named by email (of resources, and of accounts that belong to no
 * person) across pages (lower-cased email → id).
 */
export async function routePage(
  db: Db,
  c: Pick<Campaign, 'reviewerRule' | 'ownerId'>,
  adminIds: string[],
  page: PopulationRow[],
  ownerByEmail: Map<string, string | null>,
): Promise<RoutedPage> {
  if (page.length === 0) return { routed: [], people: { byId: new Map(), byEmail: new Map(), bySlackId: new Map() } };
  const named = page.flatMap((r) => [...(!r.resourceOwnerId && r.resourceOwnerEmail ? [r.resourceOwnerEmail] : []), ...(r.accountOwnerEmail ? [r.accountOwnerEmail] : [])]);
  const unresolved = named.filter((e) => !ownerByEmail.has(e.toLowerCase()));
  if (unresolved.length > 0) {
    const found = await resolveEmails(db, unresolved);
    for (const e of unresolved) ownerByEmail.set(e.toLowerCase(), found.get(e.toLowerCase()) ?? null);
  }
  const byEmail = (e: string | null) => (e ? (ownerByEmail.get(e.toLowerCase()) ?? null) : null);
  const ownerOf = (r: PopulationRow) => r.resourceOwnerId ?? byEmail(r.resourceOwnerEmail);
  const seeds = [c.ownerId, ...adminIds];
  for (const r of page) {
    if (r.personId) seeds.push(r.personId);
    const owner = ownerOf(r);
    if (owner) seeds.push(owner);
    const accountOwner = byEmail(r.accountOwnerEmail);
    if (accountOwner) seeds.push(accountOwner);
  }
  const people = await loadPeopleIndex(db, seeds);
  const approversOf = await findGrantApprovers(db, page);
  const ctx = { rule: c.reviewerRule, campaignOwnerId: c.ownerId, adminIds, people, approversOf };
  const routed = page.map((row) => {
    const accountOwnerId = byEmail(row.accountOwnerEmail);
    const resourceOwnerId = ownerOf(row);
    const assignment = assignReviewer(ctx, { grantId: row.grantId, subjectId: row.personId, resourceOwnerId, resourceName: row.resourceName, accountOwnerId, accountOwnerEmail: row.accountOwnerEmail });
    const ownerSource: OwnerSource | null = row.personId
      ? null
      : assignment.reviewerId === accountOwnerId
        ? 'account'
        : assignment.reviewerId === resourceOwnerId
          ? 'resource'
          : 'campaign';
    return { row, assignment, ownerSource };
  });
  return { routed, people };
}
