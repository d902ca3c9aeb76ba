import type { Db } from '../../db/client.js';
import type { Campaign, SyncRun } from '../../db/schema/index.js';
import { countExcluded } from './count-excluded.js';
import { findAdminIds } from './find-admin-ids.js';
import { findLatestSyncs } from './find-latest-syncs.js';
import { findPreviousCampaign } from './find-previous-campaign.js';
import { freezeRoutedHints } from './freeze-routed-hints.js';
import { withHashJoins, withoutJit } from './hints-sql.js';
import { getCampaign } from './get-campaign.js';
import { insertFirstChoices } from './insert-first-choices.js';
import { insertReviewItems } from './insert-review-items.js';
import { routePage } from './route-page.js';
import { scanPopulation } from './scan-population.js';
import { summariseFirstChoices, type ItemGroup } from './summarise-first-choices.js';
import type { ChatLookupOutcome } from '../people/link-people-by-email-lookup.js';
import type { LaunchPlan, PlanFallback, SlackReach, SourceProvenance } from './types.js';

/** A launch freezes items as it plans them, with their hints, judged at `now`. */
export interface Freeze {
  now: Date;
  staleLoginDays: number;
}

/**
 * Who reviews what if the campaign launches now. Shared by the dry run (no `freeze`: a pure
 * read) and the launch (`freeze` given, inside its transaction: the items are inserted as they
 * are routed, so the plan is what gets frozen).
 *
 * Nothing here grows with the directory: grants whose reviewer is the rule's first choice with
 * nothing to explain are routed and frozen by Postgres in bulk; the rest (fallbacks, approvals,
 * orphaned accounts) go through `assignReviewer` a page at a time, loading only the people each
 * page can route to. Memory grows with the number of reviewers and fallbacks only. Hints are
 * frozen in bulk too: with the first choices' INSERT, and for the rest by one UPDATE at the end.
 */
export async function planLaunch(db: Db, campaignId: string, lookups?: ReadonlyMap<string, ChatLookupOutcome>, freeze?: Freeze): Promise<LaunchPlan> {
  // The population cursor needs a transaction; a launch passes its own (this is then a savepoint).
  return db.transaction(async (tx) => {
    const c = await getCampaign(tx, campaignId);
    const adminIds = await findAdminIds(tx);
    const syncs = await findLatestSyncs(tx);
    const plan = emptyPlan(syncs);
    for (const { source, reason, n } of await countExcluded(tx, c)) {
      const p = plan.source(source);
      p.liveGrants += n;
      p.excluded[reason] = (p.excluded[reason] ?? 0) + n;
      plan.excluded[reason] = (plan.excluded[reason] ?? 0) + n;
    }
    // Frozen (or, in a dry run, counted) by Postgres in bulk: the first choices.
    const perItem = c.kind === 'mover' && (c.scope.personIds?.length ?? 0) > 0;
    const basis = freeze ? { ...freeze, perItem, previous: await findPreviousCampaign(tx, c) } : null;
    // A mover review looks each item up by index (hints-sql `perItem`): loops are what it wants,
    // and no JIT compile, which its whole-table estimates would otherwise pay for.
    const bulk = <T>(fn: () => Promise<T>) => (perItem ? withoutJit(tx, fn) : withHashJoins(tx, fn));
    const firstChoices = basis ? await bulk(() => insertFirstChoices(tx, c, basis)) : await summariseFirstChoices(tx, c);
    for (const group of firstChoices) plan.count(group);
    const ownerByEmail = new Map<string, string | null>();
    await scanPopulation(tx, c, freeze ? { notFrozenIn: c.id } : { notFirstChoice: true }, async (page) => {
      const { routed, people } = await routePage(tx, c, adminIds, page, ownerByEmail);
      const emailOf = (id: string) => people.byId.get(id)?.email ?? id;
      for (const { row, assignment } of routed) {
        plan.count({ source: row.source, system: row.system, reviewerId: assignment.reviewerId, email: emailOf(assignment.reviewerId), slackUserId: people.byId.get(assignment.reviewerId)?.slackUserId ?? null, n: 1 });
        for (const id of assignment.withoutChat ?? []) plan.withoutChat.set(id, emailOf(id));
        if (assignment.reason) {
          plan.fallbacks.push({ itemKey: row.grantId, person: row.personEmail, resource: `${row.resourceName} (${row.system})`, reason: assignment.reason, reviewer: emailOf(assignment.reviewerId) });
        }
      }
      if (freeze) {
        const items = routed.map(({ row, assignment, ownerSource }) => ({ grantId: row.grantId, reviewerId: assignment.reviewerId, fallbackReason: assignment.reason, ownerSource }));
        await insertReviewItems(tx, c.id, items);
      }
    });
    if (basis) await bulk(() => freezeRoutedHints(tx, c.id, basis));
    return plan.finish(c, lookups);
  });
}

function emptyPlan(syncs: Map<string, SyncRun>) {
  const provenance: Record<string, SourceProvenance> = {};
  const systems = new Set<string>();
  const reviewers = new Map<string, { email: string; slackUserId: string | null }>();
  let items = 0;
  const plan = {
    excluded: {} as Record<string, number>,
    fallbacks: [] as PlanFallback[],
    withoutChat: new Map<string, string>(),
    source: (name: string) => (provenance[name] ??= emptyProvenance(syncs.get(name))),
    count(g: ItemGroup) {
      const p = plan.source(g.source);
      p.liveGrants += g.n;
      p.inScope += g.n;
      items += g.n;
      systems.add(g.system);
      reviewers.set(g.reviewerId, { email: g.email, slackUserId: g.slackUserId });
    },
    finish(c: Campaign, lookups: ReadonlyMap<string, ChatLookupOutcome> | undefined): LaunchPlan {
      // Sources synced but with no live grants still belong in the record of what was read.
      for (const [source, run] of syncs) provenance[source] ??= emptyProvenance(run);
      for (const [id, r] of reviewers) if (!r.slackUserId) plan.withoutChat.set(id, r.email);
      return {
        campaignId: c.id,
        reviewers: reviewers.size,
        items,
        systems: [...systems].sort(),
        fallbacks: plan.fallbacks.sort((a, b) => a.person.localeCompare(b.person) || a.resource.localeCompare(b.resource)),
        excluded: plan.excluded,
        provenance,
        slack: slackReach(reviewers, plan.withoutChat, lookups),
        reviewerChannels: new Map([...reviewers].map(([id, r]) => [id, r.slackUserId])),
        withoutChat: [...plan.withoutChat.keys()],
      };
    },
  };
  return plan;
}

function slackReach(
  reviewers: Map<string, { slackUserId: string | null }>,
  withoutChat: Map<string, string>,
  lookups: ReadonlyMap<string, ChatLookupOutcome> | undefined,
): SlackReach {
  const linked = [...reviewers.values()].filter((r) => r.slackUserId).length;
  const notLinked = [...withoutChat]
    .map(([id, email]) => ({ email, reason: whyNotLinked(lookups?.get(id)) }))
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
