import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, type outbox } from '../../db/schema/index.js';
import type { OutboxIntent } from './enqueue-message.js';
import { noSlackUser } from './no-slack-user.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Turns intents into outbox rows, reading each recipient's Slack user id now (in the caller's
 * transaction). A recipient without one gets an `undeliverable` row saying so: the message is
 * kept, never sent as skipped, and re-queued once they are linked. A recipient id that names
 * nobody (a person since deleted) leaves the message addressed by its channel alone.
 */
export async function addressIntents(tx: Db, now: Date, intents: readonly OutboxIntent[]): Promise<(typeof outbox.$inferInsert)[]> {
  const ids = [...new Set(intents.map((i) => i.recipientPersonId?.toLowerCase()).filter((id): id is string => Boolean(id && UUID.test(id))))];
  const people = ids.length === 0 ? [] : await tx.select({ id: person.id, email: person.email, slack: person.slackUserId }).from(person).where(inArray(person.id, ids));
  const byId = new Map(people.map((p) => [p.id, p]));
  return intents.flatMap((intent) => {
    const to = intent.recipientPersonId ? byId.get(intent.recipientPersonId.toLowerCase()) : undefined;
    const channel = intent.channel ?? to?.slack ?? null;
    const waits = to !== undefined && channel === null;
    if (waits && intent.skipWhenUnreachable) return [];
    return [
      {
        kind: intent.kind,
        channel,
        recipientPersonId: to?.id ?? null,
        dedupeKey: intent.dedupeKey ?? null,
        payload: intent.payload,
        status: waits ? ('undeliverable' as const) : ('pending' as const),
        lastError: waits ? noSlackUser(to.email) : null,
        nextAttemptAt: now,
        createdAt: now,
      },
    ];
  });
}
