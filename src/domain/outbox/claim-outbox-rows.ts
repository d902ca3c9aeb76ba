import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { outbox, person, type OutboxRow } from '../../db/schema/index.js';

export interface ClaimedRow {
  /** As it is after the claim: status `sending`, `attempts` counting this attempt. */
  row: OutboxRow;
  /** The lock this claim holds; every later write is conditional on it (a fence). */
  lockedUntil: Date;
  /** It was `sending` under an expired lock: a process died mid-send, so it may be in Slack already. */
  recovered: boolean;
  /** The person it is for, as they are now (null: addressed to a channel, or the person was deleted). */
  recipient: { email: string; slackUserId: string | null } | null;
}

/**
 * Claims up to `limit` due rows with one conditional UPDATE over a `FOR UPDATE SKIP LOCKED`
 * pick, so two workers (or two processes on one Postgres) never take the same row.
 *
 * Due: `pending` and `next_attempt_at` reached, or `sending` whose lock expired. A row is only
 * claimable while no older row for the same channel is unfinished and none is in flight: one
 * channel's messages go out one at a time and in order, which keeps a `review.refresh` from
 * posting a second DM while the `review.request` it would update is still on its way. For the
 * same reason a row waits while an older message to the same person is `undeliverable`: once
 * they are linked, that one is re-queued and goes first.
 */
export async function claimOutboxRows(db: Db, now: Date, opts: { limit: number; lockMs: number }): Promise<ClaimedRow[]> {
  if (opts.limit <= 0) return [];
  const at = now.toISOString();
  const lockedUntil = new Date(now.getTime() + opts.lockMs);
  const result = await db.execute(sql`
    with picked as (
      select o.id, o.status as prev
      from outbox o
      where ((o.status = 'pending' and o.next_attempt_at <= ${at}::timestamptz)
          or (o.status = 'sending' and o.locked_until < ${at}::timestamptz))
        and not exists (
          select 1 from outbox p
          where p.channel = o.channel and p.id <> o.id and p.status in ('pending', 'sending')
            and ((p.status = 'sending' and p.locked_until >= ${at}::timestamptz)
              or (p.created_at, p.id) < (o.created_at, o.id)))
        and (o.recipient_person_id is null or not exists (
          select 1 from outbox u
          where u.status = 'undeliverable' and u.recipient_person_id = o.recipient_person_id
            and (u.created_at, u.id) < (o.created_at, o.id)))
      order by o.next_attempt_at, o.created_at, o.id
      limit ${opts.limit}
      for update of o skip locked
    )
    update outbox set status = 'sending', locked_until = ${lockedUntil.toISOString()}::timestamptz, attempts = outbox.attempts + 1
    from picked
    where outbox.id = picked.id
    returning outbox.id::text as id, picked.prev as prev`);
  // postgres-js answers with the rows themselves, PGlite with { rows }.
  const raw = result as unknown as Picked[] | { rows: Picked[] };
  const picked = Array.isArray(raw) ? raw : raw.rows;
  if (picked.length === 0) return [];
  const rows = await db
    .select({ row: outbox, email: person.email, slackUserId: person.slackUserId })
    .from(outbox)
    .leftJoin(person, eq(person.id, outbox.recipientPersonId))
    .where(inArray(outbox.id, picked.map((p) => p.id)));
  const prev = new Map(picked.map((p) => [p.id, p.prev]));
  return rows
    .sort((a, b) => a.row.nextAttemptAt.getTime() - b.row.nextAttemptAt.getTime() || a.row.createdAt.getTime() - b.row.createdAt.getTime())
    .map(({ row, email, slackUserId }) => ({
      row,
      lockedUntil,
      recovered: prev.get(row.id) === 'sending',
      recipient: email === null ? null : { email, slackUserId },
    }));
}

interface Picked {
  id: string;
  prev: string;
}
