import { desc, eq, min, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { outbox, person } from '../../db/schema/index.js';

export interface UndeliverableRecipient {
  personId: string;
  email: string;
  name: string;
  /** Messages waiting for this person to have a Slack user. */
  messages: number;
  oldest: Date;
}

export interface UndeliverableReport {
  total: number;
  recipients: UndeliverableRecipient[];
}

/**
 * Messages that could not be delivered because their recipient has no Slack user, by
 * recipient (most messages first). Shown to compliance on App Home and by `attest doctor`.
 * `total` counts every such row, including the few whose person has since been deleted (they
 * can never go out, and are listed under nobody).
 */
export async function findUndeliverable(db: Db): Promise<UndeliverableReport> {
  const messages = sql<number>`count(*)::int`;
  const rows = await db
    .select({ personId: person.id, email: person.email, name: person.name, messages, oldest: min(outbox.createdAt) })
    .from(outbox)
    .innerJoin(person, eq(person.id, outbox.recipientPersonId))
    .where(eq(outbox.status, 'undeliverable'))
    .groupBy(person.id, person.email, person.name)
    .orderBy(desc(messages), person.email);
  const [all] = await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(eq(outbox.status, 'undeliverable'));
  return {
    total: all?.n ?? 0,
    recipients: rows.map((r) => ({ ...r, oldest: r.oldest! })),
  };
}
