import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessRequest, evidenceEvent, person, task, type AccessRequest } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { buildTimeline, type TimelineEntry } from './case-timeline.js';

export interface CaseTask {
  id: string;
  requestId: string;
  action: string;
  description: string;
  automated: boolean;
  ownerId: string | null;
  ownerName: string | null;
  ownerRole: string | null;
  status: string;
  notBefore: Date | null;
  deadline: Date | null;
  doneBy: string | null;
  /** The person's name when a person marked it done. */
  doneByName: string | null;
  doneAt: Date | null;
  escalatedAt: Date | null;
  lastError: string | null;
  /** A later sync no longer sees the access (removals), with when. */
  verified: boolean;
  verifiedAt: Date | null;
}

export interface CaseView {
  id: string;
  kind: AccessRequest['kind'];
  status: AccessRequest['status'];
  person: { id: string; email: string; name: string } | null;
  reason: string | null;
  notes: string | null;
  origin: string | null;
  requestedBy: string;
  createdAt: Date;
  effectiveAt: Date | null;
  dueAt: Date | null;
  doneAt: Date | null;
  verifiedAt: Date | null;
  tasks: CaseTask[];
  timeline: TimelineEntry[];
}

/** One case with every task and its timeline: what the Slack checklist and `attest offboard` show. */
export async function getCase(db: Db, caseId: string): Promise<CaseView> {
  const [kase] = await db.select().from(accessRequest).where(eq(accessRequest.id, caseId));
  if (!kase || (kase.kind !== 'offboard' && kase.kind !== 'onboard')) throw new AppError('NOT_FOUND', `No case ${caseId}`);
  const [subject] = kase.subjectPersonId
    ? await db.select({ id: person.id, email: person.email, name: person.name }).from(person).where(eq(person.id, kase.subjectPersonId))
    : [];
  const children = await db.select().from(accessRequest).where(eq(accessRequest.parentId, caseId));
  const byId = new Map(children.map((c) => [c.id, c]));
  const rows =
    children.length === 0
      ? []
      : await db
          .select({ t: task, ownerName: person.name })
          .from(task)
          .leftJoin(person, eq(person.id, task.ownerId))
          .where(inArray(task.requestId, [...byId.keys()]))
          .orderBy(asc(task.createdAt), asc(task.description));
  const names = await doerNames(db, rows.map((r) => r.t.doneBy));
  const tasks: CaseTask[] = rows.map(({ t, ownerName }) => {
    const req = byId.get(t.requestId);
    return {
      id: t.id,
      requestId: t.requestId,
      action: t.action,
      description: t.description,
      automated: t.automated,
      ownerId: t.ownerId,
      ownerName: ownerName ?? null,
      ownerRole: t.ownerRole,
      status: t.status,
      notBefore: t.notBefore,
      deadline: t.deadline,
      doneBy: t.doneBy,
      doneByName: (t.doneBy && names.get(t.doneBy)) ?? null,
      doneAt: t.doneAt,
      escalatedAt: t.escalatedAt,
      lastError: t.lastError,
      verified: req?.status === 'verified',
      verifiedAt: req?.verifiedAt ?? null,
    };
  });
  const events = await db
    .select({ at: evidenceEvent.at, actor: evidenceEvent.actor, action: evidenceEvent.action })
    .from(evidenceEvent)
    .where(sql`${evidenceEvent.subject}->>'request' = ${caseId}`)
    .orderBy(asc(evidenceEvent.seq));
  return {
    id: kase.id,
    kind: kase.kind,
    status: kase.status,
    person: subject ?? null,
    reason: kase.reason,
    notes: typeof kase.details.notes === 'string' ? kase.details.notes : null,
    origin: kase.origin,
    requestedBy: kase.requestedBy,
    createdAt: kase.createdAt,
    effectiveAt: kase.effectiveAt,
    dueAt: kase.dueAt,
    doneAt: kase.doneAt,
    verifiedAt: kase.verifiedAt,
    tasks,
    timeline: buildTimeline(kase, tasks, events),
  };
}

/** `person:<id>` → that person's name, for "done by". */
async function doerNames(db: Db, doers: (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(doers.filter((d): d is string => !!d?.startsWith('person:')).map((d) => d.slice('person:'.length)))];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: person.id, name: person.name, email: person.email }).from(person).where(inArray(person.id, ids));
  return new Map(rows.map((r) => [`person:${r.id}`, r.name || r.email]));
}
