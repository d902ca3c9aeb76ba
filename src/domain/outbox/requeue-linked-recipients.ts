import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * Puts back to `pending` every undeliverable message whose recipient now has a Slack user,
 * addressed to that user. One UPDATE over the undeliverable rows only (a partial index), so
 * the worker can run it every few seconds. Attempts start again: none reached Slack. The rows
 * keep their creation time, so they go out before anything queued for that person since
 * (the claim holds those back meanwhile). Returns the kinds re-queued, one entry per row.
 */
export async function requeueLinkedRecipients(db: Db, now: Date): Promise<string[]> {
  const result = await db.execute(sql`
    update outbox o
    set status = 'pending', channel = p.slack_user_id, attempts = 0, last_error = null,
        next_attempt_at = ${now.toISOString()}::timestamptz, locked_until = null
    from person p
    where o.status = 'undeliverable' and o.recipient_person_id = p.id and p.slack_user_id is not null
    returning o.kind`);
  // postgres-js answers with the rows themselves, PGlite with { rows }.
  const raw = result as unknown as { kind: string }[] | { rows: { kind: string }[] };
  return (Array.isArray(raw) ? raw : raw.rows).map((r) => r.kind);
}
