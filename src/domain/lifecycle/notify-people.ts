import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, personRole, type Role } from '../../db/schema/index.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';

export interface PeopleIntent {
  kind: string;
  /** Ids only; the deliverer renders from current data. */
  payload: Record<string, unknown>;
  /** Made unique per recipient by appending the person id. */
  dedupeKey: string;
}

/**
 * Queues one message per person who has a Slack id (people without one cannot be reached in
 * Slack; the Home tab and the CLI still show them the work). Returns how many were queued.
 */
export async function notifyPeople(tx: Db, now: Date, personIds: readonly string[], intent: PeopleIntent): Promise<number> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return 0;
  const rows = await tx.select({ id: person.id, slack: person.slackUserId }).from(person).where(inArray(person.id, ids));
  let queued = 0;
  for (const p of rows) {
    if (!p.slack) continue;
    const fresh = await enqueueMessage(tx, now, {
      kind: intent.kind,
      channel: p.slack,
      dedupeKey: `${intent.dedupeKey}:${p.id}`,
      payload: { ...intent.payload, personId: p.id },
    });
    if (fresh) queued += 1;
  }
  return queued;
}

/** Holders of a role, falling back to admins when nobody holds it (admin holds every role). */
export async function findRoleHolders(tx: Db, role: Role): Promise<string[]> {
  const rows = await tx.select({ id: personRole.personId }).from(personRole).where(eq(personRole.role, role));
  if (rows.length > 0 || role === 'admin') return rows.map((r) => r.id);
  return findRoleHolders(tx, 'admin');
}
