import { and, asc, eq, gt, gte, lt } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../../db/client.js';
import { accessRequest, person, resource } from '../../../db/schema/index.js';
import type { Column } from './csv-entry.js';
import { isActor, showActor } from './actors.js';
import { notAfter, requestAsOf } from './as-of.js';
import { keyset } from './keyset.js';

export interface AccessRequestRow {
  requestId: string;
  caseId: string | null;
  personName: string | null;
  personEmail: string | null;
  system: string | null;
  resource: string | null;
  privileged: boolean | null;
  requestedBy: string | null;
  requestedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
  carriedOutBy: string | null;
  doneAt: Date | null;
  verifiedAt: Date | null;
  expiresAt: Date | null;
  status: string;
  reason: string | null;
  origin: string | null;
}

const subject = alias(person, 'subject');
const asker = alias(person, 'asker');
const approver = alias(person, 'approver');
const carrier = alias(person, 'carrier');

/**
 * Every grant of access approved in the period (self-service requests and an onboarding's
 * birthright grants alike): who asked, who approved, when it was carried out, when it expires.
 * `asOf`: see decisionRows; one approved after it is left out, one done after it not yet done.
 */
export function accessRequestRows(db: Db, period: { from: Date; to: Date }, asOf: Date | null = null): AsyncGenerator<AccessRequestRow> {
  return keyset(
    async (after: string | null, limit) => {
      const rows = await db
        .select({
          r: accessRequest,
          personName: subject.name,
          personEmail: subject.email,
          system: resource.system,
          resource: resource.name,
          privileged: resource.privileged,
          askerEmail: asker.email,
          approverEmail: approver.email,
          carrierEmail: carrier.email,
        })
        .from(accessRequest)
        .leftJoin(subject, eq(subject.id, accessRequest.subjectPersonId))
        .leftJoin(resource, eq(resource.id, accessRequest.resourceId))
        .leftJoin(asker, isActor(asker.id, accessRequest.requestedBy))
        .leftJoin(approver, isActor(approver.id, accessRequest.approvedBy))
        .leftJoin(carrier, isActor(carrier.id, accessRequest.carriedOutBy))
        .where(and(eq(accessRequest.kind, 'grant'), gte(accessRequest.approvedAt, period.from), lt(accessRequest.approvedAt, period.to), notAfter(accessRequest.approvedAt, asOf), after ? gt(accessRequest.id, after) : undefined))
        .orderBy(asc(accessRequest.id))
        .limit(limit);
      return rows.map(({ r: raw, ...x }) => {
        const r = requestAsOf(raw, asOf);
        return {
          requestId: r.id,
          caseId: r.parentId,
          personName: x.personName,
          personEmail: x.personEmail,
          system: x.system,
          resource: x.resource,
          privileged: x.privileged,
          requestedBy: showActor(r.requestedBy, x.askerEmail),
          requestedAt: r.createdAt,
          approvedBy: showActor(r.approvedBy, x.approverEmail),
          approvedAt: r.approvedAt,
          carriedOutBy: showActor(r.carriedOutBy, r.carriedOutBy ? x.carrierEmail : null),
          doneAt: r.doneAt,
          verifiedAt: r.verifiedAt,
          expiresAt: r.expiresAt,
          status: r.status,
          reason: r.reason,
          origin: r.origin,
        };
      });
    },
    (r) => r.requestId,
  );
}

export const ACCESS_REQUEST_COLUMNS: Column<AccessRequestRow>[] = [
  { header: 'request_id', value: (r) => r.requestId },
  { header: 'case_id', value: (r) => r.caseId },
  { header: 'person', value: (r) => r.personName },
  { header: 'email', value: (r) => r.personEmail },
  { header: 'system', value: (r) => r.system },
  { header: 'resource', value: (r) => r.resource },
  { header: 'privileged', value: (r) => r.privileged },
  { header: 'requested_by', value: (r) => r.requestedBy },
  { header: 'requested_at', value: (r) => r.requestedAt },
  { header: 'approved_by', value: (r) => r.approvedBy },
  { header: 'approved_at', value: (r) => r.approvedAt },
  { header: 'carried_out_by', value: (r) => r.carriedOutBy },
  { header: 'carried_out_at', value: (r) => r.doneAt },
  { header: 'verified_at', value: (r) => r.verifiedAt },
  { header: 'expires_at', value: (r) => r.expiresAt },
  { header: 'status', value: (r) => r.status },
  { header: 'reason', value: (r) => r.reason },
  { header: 'origin', value: (r) => r.origin },
];
