import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { accessRequest, person, task, type TaskStatus } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

export interface TaskCard {
  id: string;
  description: string;
  status: TaskStatus;
  automated: boolean;
  deadline: Date | null;
  notBefore: Date | null;
  owner: { id: string; name: string; email: string } | null;
  ownerRole: string | null;
  doneAt: Date | null;
  /** The name of who marked it done, or the actor string (`system`, `job:…`) when not a person. */
  doneBy: string | null;
  note: string | null;
  request: { id: string; kind: string; reason: string | null; origin: string | null; subject: string | null };
  /** Whose DM this is (their zone for times); null when rendered for nobody in particular. */
  reader: { id: string; name: string; slackTz: string | null } | null;
}

/** One task as its DM (`Mark done`) and the overdue notice show it. */
export async function getTaskCard(db: Db, taskId: string, readerId?: string | null): Promise<TaskCard> {
  const owner = alias(person, 'owner');
  const subject = alias(person, 'subject');
  const [row] = await db
    .select({ t: task, r: accessRequest, owner: { id: owner.id, name: owner.name, email: owner.email }, subjectName: subject.name, subjectEmail: subject.email })
    .from(task)
    .innerJoin(accessRequest, eq(accessRequest.id, task.requestId))
    .leftJoin(owner, eq(owner.id, task.ownerId))
    .leftJoin(subject, eq(subject.id, accessRequest.subjectPersonId))
    .where(eq(task.id, taskId));
  if (!row) throw new AppError('NOT_FOUND', 'That task no longer exists.');
  const { t, r } = row;
  return {
    id: t.id,
    description: t.description,
    status: t.status,
    automated: t.automated,
    deadline: t.deadline,
    notBefore: t.notBefore,
    owner: row.owner?.id ? { id: row.owner.id, name: row.owner.name, email: row.owner.email } : null,
    ownerRole: t.ownerRole,
    doneAt: t.doneAt,
    doneBy: await doerName(db, t.doneBy),
    note: t.note,
    request: { id: r.id, kind: r.kind, reason: r.reason, origin: r.origin, subject: row.subjectName || row.subjectEmail || null },
    reader: readerId ? await reader(db, readerId) : null,
  };
}

async function doerName(db: Db, doneBy: string | null): Promise<string | null> {
  if (!doneBy?.startsWith('person:')) return doneBy;
  const [p] = await db.select({ name: person.name, email: person.email }).from(person).where(eq(person.id, doneBy.slice('person:'.length)));
  return p ? p.name || p.email : doneBy;
}

async function reader(db: Db, id: string) {
  const [p] = await db.select({ id: person.id, name: person.name, slackTz: person.slackTz }).from(person).where(eq(person.id, id));
  return p ?? null;
}
