import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../../db/client.js';
import { accessRequest, account, person, resource, task } from '../../../db/schema/index.js';
import { hoursBetween } from './csv-cells.js';
import type { Column } from './csv-entry.js';
import { isActor, showActor } from './actors.js';
import { notAfter, requestAsOf, seenAt } from './as-of.js';
import { keyset } from './keyset.js';

export interface TerminationRow {
  caseId: string;
  personName: string | null;
  personEmail: string | null;
  caseStatus: string;
  reason: string | null;
  effectiveAt: Date;
  requestId: string | null;
  taskId: string | null;
  system: string | null;
  account: string | null;
  resource: string | null;
  removal: string | null;
  owner: string | null;
  deadline: Date;
  removedAt: Date | null;
  removedBy: string | null;
  verifiedAt: Date | null;
  syncRunId: string | null;
  escalatedAt: Date | null;
  /** null: not removed yet and not yet due (or cancelled). */
  slaMet: boolean | null;
}

export interface TerminationScope {
  from: Date;
  to: Date;
  /** When an open removal is judged late. */
  asOf: Date;
  slaHours: number;
  /**
   * A bundle read in chunks: cases, removals and tasks as they stood at this instant (see
   * ExportSnapshot.rowsAsOf). The missed-SLA finding reads this same scope, so it agrees.
   */
  rowsAsOf?: Date | null;
}

/** Cases per page: each brings its removals along (a few dozen per leaver). */
const CASES_PER_PAGE = 200;
const subject = alias(person, 'subject');
const owner = alias(person, 'owner');
const doer = alias(person, 'doer');

/**
 * One row per removal of every offboarding case whose effective time is in the period: the
 * account or grant, when it was removed and by whom, when a sync proved it, and whether that
 * beat the deadline. A removal counts from when it was carried out; one a sync found gone
 * before anyone marked it done counts from the sync.
 */
export async function* terminationRows(db: Db, scope: TerminationScope): AsyncGenerator<TerminationRow> {
  // ISO strings with a cast: a bare Date bound to an untyped expression is driver-dependent.
  const effective = sql`coalesce(${accessRequest.effectiveAt}, ${accessRequest.createdAt})`;
  const inPeriod = sql`${effective} >= ${scope.from.toISOString()}::timestamptz and ${effective} < ${scope.to.toISOString()}::timestamptz`;
  const cases = keyset(
    (after: string | null, limit) =>
      db
        .select({ c: accessRequest, name: subject.name, email: subject.email })
        .from(accessRequest)
        .leftJoin(subject, eq(subject.id, accessRequest.subjectPersonId))
        .where(and(eq(accessRequest.kind, 'offboard'), inPeriod, notAfter(accessRequest.createdAt, scope.rowsAsOf ?? null), after ? gt(accessRequest.id, after) : undefined))
        .orderBy(asc(accessRequest.id))
        .limit(limit),
    (r) => r.c.id,
    CASES_PER_PAGE,
  );
  let page: { c: typeof accessRequest.$inferSelect; name: string | null; email: string | null }[] = [];
  for await (const row of cases) {
    page.push(row);
    if (page.length === CASES_PER_PAGE) {
      yield* rowsOfCases(db, scope, page);
      page = [];
    }
  }
  if (page.length > 0) yield* rowsOfCases(db, scope, page);
}

async function* rowsOfCases(
  db: Db,
  scope: TerminationScope,
  cases: { c: typeof accessRequest.$inferSelect; name: string | null; email: string | null }[],
): AsyncGenerator<TerminationRow> {
  const child = accessRequest;
  const at = scope.rowsAsOf ?? null;
  const parts = await db
    .select({ r: child, t: task, system: account.system, login: account.login, resource: resource.name, ownerEmail: owner.email, doerEmail: doer.email })
    .from(child)
    .leftJoin(task, and(eq(task.requestId, child.id), notAfter(task.createdAt, at)))
    .leftJoin(account, eq(account.id, child.accountId))
    .leftJoin(resource, eq(resource.id, child.resourceId))
    .leftJoin(owner, eq(owner.id, task.ownerId))
    .leftJoin(doer, isActor(doer.id, task.doneBy))
    .where(and(inArray(child.parentId, cases.map((k) => k.c.id)), notAfter(child.createdAt, at)))
    .orderBy(asc(child.parentId), asc(account.system), asc(account.login), sql`${resource.name} nulls first`, asc(task.createdAt));
  const byCase = new Map<string, typeof parts>();
  for (const raw of parts) {
    const p = { ...raw, r: requestAsOf(raw.r, at), t: raw.t && taskAsOf(raw.t, at) };
    const list = byCase.get(p.r.parentId!) ?? [];
    list.push(p);
    byCase.set(p.r.parentId!, list);
  }
  for (const kase of cases) {
    const k = { ...kase, c: requestAsOf(kase.c, at) };
    const effectiveAt = k.c.effectiveAt ?? k.c.createdAt;
    const caseDeadline = k.c.dueAt ?? new Date(effectiveAt.getTime() + scope.slaHours * 3_600_000);
    const base = { caseId: k.c.id, personName: k.name, personEmail: k.email, caseStatus: k.c.status, reason: k.c.reason, effectiveAt };
    const mine = byCase.get(k.c.id) ?? [];
    if (mine.length === 0) {
      // Nothing was live to remove: the case itself is the record, done when it was closed.
      const removedAt = k.c.verifiedAt ?? k.c.doneAt;
      yield { ...base, ...empty, deadline: caseDeadline, removedAt, verifiedAt: k.c.verifiedAt, slaMet: slaVerdict(caseDeadline, removedAt, scope.asOf, k.c.status === 'cancelled') };
      continue;
    }
    for (const p of mine) {
      const deadline = p.t?.deadline ?? caseDeadline;
      const removedAt = p.t?.doneAt ?? p.r.verifiedAt;
      const cancelled = p.t?.status === 'cancelled' || p.r.status === 'cancelled';
      yield {
        ...base,
        requestId: p.r.id,
        taskId: p.t?.id ?? null,
        system: p.system,
        account: p.login,
        resource: p.resource,
        removal: p.t?.description ?? null,
        owner: p.ownerEmail ?? p.t?.ownerRole ?? null,
        deadline,
        removedAt,
        removedBy: p.t?.doneAt ? showActor(p.t.doneBy, p.doerEmail) : p.r.verifiedAt ? 'found removed by sync' : null,
        verifiedAt: p.r.verifiedAt,
        syncRunId: p.r.verifiedBySyncRunId,
        escalatedAt: p.t?.escalatedAt ?? null,
        slaMet: slaVerdict(deadline, removedAt, scope.asOf, cancelled),
      };
    }
  }
}

/** A task done or escalated after the snapshot shows as not yet done or escalated. */
function taskAsOf<T extends { status: string; doneAt: Date | null; doneBy: string | null; escalatedAt: Date | null }>(t: T, at: Date | null): T {
  if (!at) return t;
  const doneAt = seenAt(t.doneAt, at);
  const undone = t.doneAt && !doneAt;
  return { ...t, doneAt, escalatedAt: seenAt(t.escalatedAt, at), ...(undone ? { status: 'open', doneBy: null } : {}) };
}

const empty = { requestId: null, taskId: null, system: null, account: null, resource: null, removal: null, owner: null, removedBy: null, syncRunId: null, escalatedAt: null };

/** Met when removed by the deadline; missed when removed late, or still there after it. */
export function slaVerdict(deadline: Date, removedAt: Date | null, asOf: Date, cancelled: boolean): boolean | null {
  if (removedAt) return removedAt.getTime() <= deadline.getTime();
  if (cancelled) return null;
  return asOf.getTime() > deadline.getTime() ? false : null;
}

export const TERMINATION_COLUMNS: Column<TerminationRow>[] = [
  { header: 'case_id', value: (r) => r.caseId },
  { header: 'person', value: (r) => r.personName },
  { header: 'email', value: (r) => r.personEmail },
  { header: 'case_status', value: (r) => r.caseStatus },
  { header: 'reason', value: (r) => r.reason },
  { header: 'effective_at', value: (r) => r.effectiveAt },
  { header: 'request_id', value: (r) => r.requestId },
  { header: 'task_id', value: (r) => r.taskId },
  { header: 'system', value: (r) => r.system },
  { header: 'account', value: (r) => r.account },
  { header: 'resource', value: (r) => r.resource },
  { header: 'removal', value: (r) => r.removal },
  { header: 'owner', value: (r) => r.owner },
  { header: 'deadline', value: (r) => r.deadline },
  { header: 'removed_at', value: (r) => r.removedAt },
  { header: 'removed_by', value: (r) => r.removedBy },
  { header: 'verified_at', value: (r) => r.verifiedAt },
  { header: 'verified_by_sync_run', value: (r) => r.syncRunId },
  { header: 'escalated_at', value: (r) => r.escalatedAt },
  { header: 'hours_from_effective', value: (r) => hoursBetween(r.effectiveAt, r.removedAt) },
  { header: 'sla_met', value: (r) => r.slaMet },
];
