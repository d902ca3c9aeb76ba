import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessRequest } from '../../db/schema/index.js';
import type { NewEvidence } from '../evidence/append-evidence.js';
import { closeVerifiedCases } from '../lifecycle/close-verified-cases.js';

/** Revocations that have been carried out (or are under way) and wait for a sync to prove them. */
const AWAITING = ['approved', 'in_progress', 'done'] as const;

/**
 * The hook from sync to removals: a revoke request whose grant disappeared (or whose account
 * is gone or disabled) is verified, with this sync run as its proof. The ids must be what the
 * run proved (provenRemovals): a grant the run could not have seen, because its resource's
 * holders were not listed or the source does not list that kind at all, proves nothing.
 */
export async function verifyRemovals(
  tx: Db,
  input: { source: string; runId: string; now: Date; removedGrantIds: string[]; disabledAccountIds: string[] },
): Promise<{ verified: number; events: NewEvidence[] }> {
  const events: NewEvidence[] = [];
  // Bounded batches keep each statement well under Postgres's 65,535 parameters.
  const step = 10_000;
  for (let i = 0; i < Math.max(input.removedGrantIds.length, input.disabledAccountIds.length); i += step) {
    events.push(
      ...(await verifyBatch(tx, {
        ...input,
        removedGrantIds: input.removedGrantIds.slice(i, i + step),
        disabledAccountIds: input.disabledAccountIds.slice(i, i + step),
      })),
    );
  }
  const verified = events.length;
  // A case (offboarding) closes once the last of its removals is proved.
  const caseIds = events.map((e) => e.payload?.case).filter((c): c is string => typeof c === 'string');
  events.push(...(await closeVerifiedCases(tx, { source: input.source, runId: input.runId, now: input.now, caseIds })));
  return { verified, events };
}

async function verifyBatch(
  tx: Db,
  input: { source: string; runId: string; now: Date; removedGrantIds: string[]; disabledAccountIds: string[] },
): Promise<NewEvidence[]> {
  const { removedGrantIds, disabledAccountIds } = input;
  if (removedGrantIds.length === 0 && disabledAccountIds.length === 0) return [];
  const byGrant = removedGrantIds.length > 0 ? inArray(accessRequest.grantId, removedGrantIds) : sql`false`;
  const byAccount =
    disabledAccountIds.length > 0
      ? and(isNull(accessRequest.grantId), inArray(accessRequest.accountId, disabledAccountIds))
      : sql`false`;
  const rows = await tx
    .update(accessRequest)
    .set({ status: 'verified', verifiedAt: input.now, verifiedBySyncRunId: input.runId })
    .where(and(sql`${accessRequest.kind} = 'revoke'`, inArray(accessRequest.status, [...AWAITING]), sql`(${byGrant} or ${byAccount})`))
    .returning({ id: accessRequest.id, grantId: accessRequest.grantId, accountId: accessRequest.accountId, parentId: accessRequest.parentId });
  return rows.map((r) => ({
    actor: `sync:${input.source}`,
    action: 'removal.verified',
    subject: { request: r.id, ...(r.grantId ? { grant: r.grantId } : {}), ...(r.accountId ? { account: r.accountId } : {}) },
    payload: { syncRun: input.runId, ...(r.parentId ? { case: r.parentId } : {}) },
  }));
}
