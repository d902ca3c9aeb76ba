import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { personRole, type Role } from '../../db/schema/index.js';
import { enqueueMessages } from '../outbox/enqueue-messages.js';

export interface PeopleIntent {
  kind: string;
  /** Ids only; the deliverer renders from current data. */
  payload: Record<string, unknown>;
  /** Made unique per recipient by appending the person id. */
  dedupeKey: string;
}

/**
 * Queues one message per person. Someone with no Slack user yet still gets theirs: it waits in
 * the outbox as undeliverable and goes out once they are linked. Returns how many were queued.
 */
export async function notifyPeople(tx: Db, now: Date, personIds: readonly string[], intent: PeopleIntent): Promise<number> {
  const ids = [...new Set(personIds)];
  return enqueueMessages(
    tx,
    now,
    ids.map((id) => ({ kind: intent.kind, recipientPersonId: id, dedupeKey: `${intent.dedupeKey}:${id}`, payload: { ...intent.payload, personId: id } })),
  );
}

/** Holders of a role, falling back to admins when nobody holds it (admin holds every role). */
export async function findRoleHolders(tx: Db, role: Role): Promise<string[]> {
  const rows = await tx.select({ id: personRole.personId }).from(personRole).where(eq(personRole.role, role));
  if (rows.length > 0 || role === 'admin') return rows.map((r) => r.id);
  return findRoleHolders(tx, 'admin');
}
