import type { Db } from '../../db/client.js';
import type { SyncRun } from '../../db/schema/index.js';
import { assignReviewer, type RoutingContext } from './assign-reviewer.js';
import { buildSnapshot } from './build-snapshot.js';
import { findAdminIds } from './find-admin-ids.js';
import { findGrantApprovers } from './find-grant-approvers.js';
import { findLatestSyncs } from './find-latest-syncs.js';
import { getCampaign } from './get-campaign.js';
import { loadPeopleIndex, type PeopleIndex } from './load-people-index.js';
import { loadPopulation } from './load-population.js';
import { scopeExclusion } from './scope-exclusion.js';
import type { ChatLookupOutcome } from '../people/link-people-by-email-lookup.js';
import type { LaunchPlan, PlanFallback, PlannedItem, SlackReach, SourceProvenance } from './types.js';

/**
 * Who would review what if the campaign launched now: a pure read, shared by the dry run and
 * the launch (which calls it inside its transaction, so the plan is what gets frozen). A fixed
 * number of queries whatever the size of the directory; the rest is in memory.
 */
export async function planLaunch(db: Db, campaignId: string, lookups?: ReadonlyMap<string, ChatLookupOutcome>): Promise<LaunchPlan> {
  const c = await getCampaign(db, campaignId);
  const population = await loadPopulation(db);
  const people = await loadPeopleIndex(db);
  const approversOf = await findGrantApprovers(db, people);
  const adminIds = await findAdminIds(db);
  const syncs = await findLatestSyncs(db);
  const ctx: RoutingContext = { rule: c.reviewerRule, campaignOwnerId: c.ownerId, adminIds, people, approversOf };

  const assignments: PlannedItem[] = [];
  const fallbacks: PlanFallback[] = [];
  const provenance: Record<string, SourceProvenance> = {};
  const excluded: Record<string, number> = {};
  const systems = new Set<string>();
  const reviewers = new Set<string>();
  const withoutChat = new Set<string>();

  for (const row of population) {
    const source = (provenance[row.source] ??= emptyProvenance(syncs.get(row.source)));
    source.liveGrants += 1;
    const subject = row.personId ? people.byId.get(row.personId) : undefined;
    const exclusion = scopeExclusion(row, subject, c.scope);
    if (exclusion) {
      source.excluded[exclusion] = (source.excluded[exclusion] ?? 0) + 1;
      excluded[exclusion] = (excluded[exclusion] ?? 0) + 1;
      continue;
    }
    source.inScope += 1;
    const resourceOwnerId = row.resourceOwnerId ?? (row.resourceOwnerEmail ? (people.byEmail.get(row.resourceOwnerEmail.toLowerCase()) ?? null) : null);
    const { reviewerId, reason, withoutChat: refused } = assignReviewer(ctx, { grantId: row.grantId, subjectId: subject?.id ?? null, resourceOwnerId, resourceName: row.resourceName });
    const snapshot = buildSnapshot(row, people);
    assignments.push({ grantId: row.grantId, reviewerId, fallbackReason: reason, snapshot });
    systems.add(row.system);
    reviewers.add(reviewerId);
    for (const id of refused ?? []) withoutChat.add(id);
    if (reason) {
      fallbacks.push({
        itemKey: row.grantId,
        person: snapshot.personEmail,
        resource: `${snapshot.resourceName} (${snapshot.system})`,
        reason,
        reviewer: people.byId.get(reviewerId)?.email ?? reviewerId,
      });
    }
  }
  // Sources synced but with no live grants still belong in the record of what was read.
  for (const [source, run] of syncs) provenance[source] ??= emptyProvenance(run);
  for (const id of reviewers) if (!people.byId.get(id)?.slackUserId) withoutChat.add(id);

  return {
    campaignId: c.id,
    reviewers: reviewers.size,
    items: assignments.length,
    systems: [...systems].sort(),
    fallbacks: fallbacks.sort((a, b) => a.person.localeCompare(b.person) || a.resource.localeCompare(b.resource)),
    excluded,
    provenance,
    slack: slackReach(people, reviewers, withoutChat, lookups),
    assignments,
    withoutChat: [...withoutChat],
  };
}

function slackReach(people: PeopleIndex, reviewers: Set<string>, withoutChat: Set<string>, lookups: ReadonlyMap<string, ChatLookupOutcome> | undefined): SlackReach {
  const linked = [...reviewers].filter((id) => people.byId.get(id)?.slackUserId).length;
  const notLinked = [...withoutChat]
    .map((id) => ({ email: people.byId.get(id)?.email ?? id, reason: whyNotLinked(lookups?.get(id)) }))
    .sort((a, b) => a.email.localeCompare(b.email));
  return { linked, notLinked };
}

function whyNotLinked(outcome: ChatLookupOutcome | undefined): string {
  switch (outcome?.status) {
    case undefined:
      return 'not looked up in Slack';
    case 'not_found':
      return 'not found in Slack by email';
    case 'failed':
      return `Slack lookup failed: ${outcome.error}`;
    case 'taken':
      return `their Slack user ${outcome.slackUserId} is linked to another person`;
    case 'linked':
      return `linked to ${outcome.slackUserId} while planning`;
  }
}

function emptyProvenance(run: SyncRun | undefined): SourceProvenance {
  return {
    syncRunId: run?.id ?? null,
    syncedAt: run?.finishedAt?.toISOString() ?? null,
    read: { accounts: run?.counts.accounts ?? 0, grants: run?.counts.grants ?? 0 },
    liveGrants: 0,
    inScope: 0,
    excluded: {},
  };
}
