import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { reviewItem, syncRun, type ItemHints, type ItemSnapshot } from '../../db/schema/index.js';
import { appendEvidence, type NewEvidence } from '../evidence/append-evidence.js';
import { enqueueMessages } from '../outbox/enqueue-messages.js';
import { findAdminIds } from '../reviews/find-admin-ids.js';
import { listRoleHolderIds } from '../people/list-roles.js';
import { ensureDriftCampaign } from './drift-campaign.js';
import { driftFlag, driftNotice } from './drift-intents.js';
import { findUnapprovedGrants, type UnapprovedGrant } from './find-unapproved-grants.js';

const CHUNK = 1000;

export interface UnapprovedAccessReport {
  items: number;
}

/**
 * Right after a sync run commits: every grant it (or a recent run whose announcement never
 * happened) added with no request, birthright or review
 * decision behind it becomes an item of the standing drift campaign, decided with the review
 * buttons, and its reviewer gets one DM (a privileged one is flagged to compliance too). One
 * transaction; the items' unique key (campaign, grant) keeps a repeated call from doing it twice.
 *
 * Never throws: the sync has already succeeded, and a failure here is logged rather than
 * reported as a failed sync.
 */
export async function announceUnapprovedAccess(deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>, runId: string): Promise<UnapprovedAccessReport> {
  try {
    return await deps.db.transaction(async (tx) => {
      const [run] = await tx.select({ startedAt: syncRun.startedAt, source: syncRun.source }).from(syncRun).where(eq(syncRun.id, runId));
      if (!run) return { items: 0 };
      const grants = await findUnapprovedGrants(tx, { startedAt: run.startedAt });
      if (grants.length === 0) return { items: 0 };
      const now = deps.clock.now();
      const c = await ensureDriftCampaign(tx, now);
      if (!c) {
        deps.logger.warn({ runId, grants: grants.length }, 'unapproved access found but there is no admin to own the drift campaign; add one with ATTEST_ADMINS');
        return { items: 0 };
      }
      // Compliance decides what no owner or manager can: its role holders, then the admins, oldest first.
      const fallbacks = [...(await listRoleHolderIds(tx, 'compliance')), ...(await findAdminIds(tx)), c.ownerId];
      const rows = grants.map((g) => {
        const route = routeOf(g, fallbacks);
        return { campaignId: c.id, grantId: g.grant_id, snapshot: snapshotOf(g), reviewerId: route.reviewerId, fallbackReason: route.reason, hints: hintsOf(g, runId) };
      });
      const made: { id: string; grantId: string; reviewerId: string }[] = [];
      // In chunks: a sync can add thousands of grants, and a statement takes at most 65,535 parameters.
      for (let i = 0; i < rows.length; i += CHUNK) {
        made.push(
          ...(await tx
            .insert(reviewItem)
            .values(rows.slice(i, i + CHUNK))
            .onConflictDoNothing()
            .returning({ id: reviewItem.id, grantId: reviewItem.grantId, reviewerId: reviewItem.reviewerId })),
        );
      }
      const byGrant = new Map(grants.map((g) => [g.grant_id, g]));
      const events: NewEvidence[] = made.map((i) => {
        const g = byGrant.get(i.grantId)!;
        return {
          actor: `sync:${run.source}`,
          action: 'access.unapproved',
          subject: { campaign: c.id, item: i.id, grant: g.grant_id, syncRun: runId },
          payload: {
            itemId: i.id,
            grantId: g.grant_id,
            reviewerId: i.reviewerId,
            seenAt: new Date(g.seen_at).toISOString(),
            personEmail: g.person_email,
            accountLogin: g.login,
            resourceName: g.resource_name,
            system: g.system,
            privileged: g.privileged,
          },
        };
      });
      await appendEvidence(tx, deps.clock, events);
      const channel = deps.config.COMPLIANCE_CHANNEL ?? null;
      await enqueueMessages(tx, now, [
        ...made.map((i) => driftNotice(i.id, i.reviewerId)),
        ...made.filter((i) => byGrant.get(i.grantId)!.privileged && channel).map((i) => driftFlag(i.id, channel)),
      ]);
      return { items: made.length };
    });
  } catch (err) {
    deps.logger.error({ runId, err: err instanceof Error ? err.message : String(err) }, 'could not announce unapproved access after a sync');
    return { items: 0 };
  }
}

/**
 * Who decides: the resource's owner, else the person's manager, else compliance (the first
 * holder of the compliance role, else the first admin, else the campaign's owner) — never the
 * person themselves: an admin who got access outside a request is not asked about it.
 */
function routeOf(g: UnapprovedGrant, fallbacks: readonly string[]): { reviewerId: string; reason: string | null } {
  if (g.owner_id && g.owner_id !== g.person_id) return { reviewerId: g.owner_id, reason: null };
  if (g.manager_id && g.manager_id !== g.person_id) return { reviewerId: g.manager_id, reason: g.owner_id ? 'owns the resource themselves: their manager decides' : 'no resource owner: the manager decides' };
  const other = fallbacks.find((id) => id !== g.person_id);
  // Only when nobody else holds a role: the campaign owner holds it to hand over (deciding stays refused).
  return { reviewerId: other ?? fallbacks[fallbacks.length - 1]!, reason: 'no resource owner and no manager: compliance decides' };
}

function snapshotOf(g: UnapprovedGrant): ItemSnapshot {
  return {
    personId: g.person_id,
    personName: g.person_name || g.person_email || g.login,
    personEmail: g.person_email ?? '',
    department: g.department,
    managerEmail: g.manager_email,
    system: g.system,
    source: g.source,
    accountLogin: g.login,
    accountStatus: g.account_status,
    resourceId: g.resource_id,
    resourceName: g.resource_name,
    resourceKind: g.resource_kind,
    via: g.via,
    privileged: g.privileged,
    lastLoginAt: g.last_login_at ? new Date(g.last_login_at).toISOString() : null,
    accountId: g.account_id,
  };
}

function hintsOf(g: UnapprovedGrant, runId: string): ItemHints {
  return {
    history: null,
    compared: false,
    suggestRevoke: null,
    unusual: null,
    outsideRequest: true,
    ownerless: g.person_id ? null : { ownerSource: 'campaign' },
    drift: { seenAt: new Date(g.seen_at).toISOString(), syncRunId: runId },
  };
}
