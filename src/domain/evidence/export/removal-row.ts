import type { ItemSnapshot } from '../../../db/schema/index.js';
import { showActor } from './actors.js';
import { requestAsOf } from './as-of.js';
import type { RemediationRow } from './remediation.js';

/**
 * A remediation.csv row from what was read: shared by the review items' read (review-items.ts),
 * which finds the revocations decided in reviews, and remediation.ts's own reads.
 */

/** A removal request as read, with who carried it out and the sync run that proved it. */
export interface RequestRead {
  requestId: string;
  reason: string | null;
  status: string;
  approvedAt: Date | null;
  carriedOutByRaw: string | null;
  carrierEmail: string | null;
  doneAt: Date | null;
  verifiedAt: Date | null;
  syncRunId: string | null;
  syncSource: string | null;
  syncFinishedAt: Date | null;
}

/** A request's columns of remediation.csv, as of the snapshot (see requestAsOf). */
export function common(raw: RequestRead, asOf: Date | null) {
  const p = requestAsOf({ status: raw.status, approvedAt: raw.approvedAt, doneAt: raw.doneAt, verifiedAt: raw.verifiedAt, carriedOutBy: raw.carriedOutByRaw, verifiedBySyncRunId: raw.syncRunId }, asOf);
  const proved = p.verifiedBySyncRunId !== null;
  const r = { ...raw, ...p, carriedOutByRaw: p.carriedOutBy, carrierEmail: p.carriedOutBy ? raw.carrierEmail : null, syncRunId: p.verifiedBySyncRunId, syncSource: proved ? raw.syncSource : null, syncFinishedAt: proved ? raw.syncFinishedAt : null };
  return {
    requestId: r.requestId,
    reason: r.reason,
    status: r.status,
    carriedOutBy: showActor(r.carriedOutByRaw, r.carrierEmail),
    doneAt: r.doneAt,
    verifiedAt: r.verifiedAt,
    syncRunId: r.syncRunId,
    syncSource: r.syncSource,
    syncFinishedAt: r.syncFinishedAt,
  };
}

/** A review item whose decision asked for a removal, with its request as read. */
export interface ItemRemovalRead extends RequestRead {
  grantId: string;
  itemId: string;
  snapshot: ItemSnapshot;
  decidedAt: Date | null;
  deciderEmail: string | null;
  decidedBy: string | null;
}

/** The remediation.csv row of a review's revocation (the export reads these with the review items: review-items.ts). */
export function itemRemoval(campaignId: string, r: ItemRemovalRead, asOf: Date | null): RemediationRow & { grantId: string } {
  return {
    ...common(r, asOf),
    grantId: r.grantId,
    campaignId,
    itemId: r.itemId,
    personEmail: r.snapshot.personEmail,
    system: r.snapshot.system,
    account: r.snapshot.accountLogin,
    resource: r.snapshot.resourceName,
    decidedBy: r.deciderEmail ?? (r.decidedBy ? null : 'system'),
    decidedAt: r.decidedAt,
  };
}

