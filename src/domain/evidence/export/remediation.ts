import { and, asc, eq, gt, gte, isNull, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../../db/client.js';
import { accessRequest, account, person, resource, reviewItem, syncRun } from '../../../db/schema/index.js';
import { hoursBetween } from './csv-cells.js';
import type { Column } from './csv-entry.js';
import { isActor, showActor } from './actors.js';
import { notAfter, seenAt } from './as-of.js';
import type { PeriodCampaign } from './item-window.js';
import { keyset } from './keyset.js';
import { common } from './removal-row.js';
import { reviewItemReads } from './review-items.js';

export interface RemediationRow {
  requestId: string;
  campaignId: string | null;
  itemId: string | null;
  personEmail: string | null;
  system: string | null;
  account: string | null;
  resource: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
  status: string;
  carriedOutBy: string | null;
  doneAt: Date | null;
  verifiedAt: Date | null;
  syncRunId: string | null;
  syncSource: string | null;
  syncFinishedAt: Date | null;
}

const carrier = alias(person, 'carrier');
const subject = alias(person, 'subject');
const approver = alias(person, 'approver');

const requestColumns = {
  requestId: accessRequest.id,
  reason: accessRequest.reason,
  status: accessRequest.status,
  approvedAt: accessRequest.approvedAt,
  carriedOutByRaw: accessRequest.carriedOutBy,
  carrierEmail: carrier.email,
  doneAt: accessRequest.doneAt,
  verifiedAt: accessRequest.verifiedAt,
  syncRunId: accessRequest.verifiedBySyncRunId,
  syncSource: syncRun.source,
  syncFinishedAt: syncRun.finishedAt,
};

/** Revocations asked for outside a review (Slack, an Okta hook) in the period; cases are in terminations.csv. */
export function standaloneRemovals(db: Db, period: { from: Date; to: Date }, asOf: Date | null): AsyncGenerator<RemediationRow> {
  return keyset(
    async (after: string | null, limit) => {
      const rows = await db
        .select({ ...requestColumns, subjectEmail: subject.email, system: account.system, account: account.login, resource: resource.name, createdAt: accessRequest.createdAt, approvedBy: accessRequest.approvedBy, approverEmail: approver.email })
        .from(accessRequest)
        .leftJoin(syncRun, eq(syncRun.id, accessRequest.verifiedBySyncRunId))
        .leftJoin(carrier, isActor(carrier.id, accessRequest.carriedOutBy))
        .leftJoin(subject, eq(subject.id, accessRequest.subjectPersonId))
        .leftJoin(approver, isActor(approver.id, accessRequest.approvedBy))
        .leftJoin(account, eq(account.id, accessRequest.accountId))
        .leftJoin(resource, eq(resource.id, accessRequest.resourceId))
        .where(
          and(
            eq(accessRequest.kind, 'revoke'),
            isNull(accessRequest.parentId),
            gte(accessRequest.createdAt, period.from),
            lt(accessRequest.createdAt, period.to),
            notAfter(accessRequest.createdAt, asOf),
            sql`not exists (select 1 from ${reviewItem} where ${reviewItem.requestId} = ${accessRequest.id})`,
            after ? gt(accessRequest.id, after) : undefined,
          ),
        )
        .orderBy(asc(accessRequest.id))
        .limit(limit);
      return rows.map((r) => ({
        ...common(r, asOf),
        campaignId: null,
        itemId: null,
        personEmail: r.subjectEmail,
        system: r.system,
        account: r.account,
        resource: r.resource,
        decidedBy: showActor(r.approvedBy, r.approverEmail),
        decidedAt: seenAt(r.approvedAt, asOf) ?? r.createdAt,
      }));
    },
    (r) => r.requestId,
  );
}

/** `asOf`: see decisionRows; a removal done or proved after it shows as not yet done. */
export async function* remediationRows(db: Db, campaigns: PeriodCampaign[], period: { from: Date; to: Date }, asOf: Date | null = null): AsyncGenerator<RemediationRow> {
  // Revocations decided in the campaigns' reviews, item by item, with the review items (by
  // `asOf`, when given; a standing campaign's, in its window): the export reads them there.
  for await (const r of reviewItemReads(db, campaigns, asOf)) if ('removal' in r) yield r.removal;
  yield* standaloneRemovals(db, period, asOf);
}

/** Decision to proof of removal: the clock an auditor measures remediation by. */
export function hoursToVerified(r: RemediationRow): number | null {
  return hoursBetween(r.decidedAt, r.verifiedAt);
}

export const REMEDIATION_COLUMNS: Column<RemediationRow>[] = [
  { header: 'request_id', value: (r) => r.requestId },
  { header: 'campaign_id', value: (r) => r.campaignId },
  { header: 'item_id', value: (r) => r.itemId },
  { header: 'person_email', value: (r) => r.personEmail },
  { header: 'system', value: (r) => r.system },
  { header: 'account', value: (r) => r.account },
  { header: 'resource', value: (r) => r.resource },
  { header: 'decided_by', value: (r) => r.decidedBy },
  { header: 'decided_at', value: (r) => r.decidedAt },
  { header: 'reason', value: (r) => r.reason },
  { header: 'status', value: (r) => r.status },
  { header: 'carried_out_by', value: (r) => r.carriedOutBy },
  { header: 'carried_out_at', value: (r) => r.doneAt },
  { header: 'verified_at', value: (r) => r.verifiedAt },
  { header: 'verified_by_sync_run', value: (r) => r.syncRunId },
  { header: 'sync_source', value: (r) => r.syncSource },
  { header: 'hours_decision_to_verified', value: hoursToVerified },
];
