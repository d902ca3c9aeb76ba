import { sql, type SQL } from 'drizzle-orm';

/**
 * The three bounded deletes of the operational prune. Each removes at most `limit` rows and
 * says how many it did; the caller repeats it until a batch comes back short, so a first prune
 * of a large table is many short statements rather than one long lock.
 *
 * A uuid read out of a thread key (`review:<campaign>:<reviewer>`, …), or null when the part is
 * not one: the cast is guarded so a foreign key format never fails the whole statement, and the
 * comparison uses the primary key index of the table it is looked up in.
 */
const keyPart = (n: number) =>
  sql.raw(`(case when split_part(sm.thread_key, ':', ${n}) ~ '^[0-9a-fA-F-]{36}$' then split_part(sm.thread_key, ':', ${n})::uuid end)`);

const counted = (deleteStatement: SQL) => sql`with d as (${deleteStatement} returning 1) select count(*)::int as n from d`;

/**
 * Sent outbox rows older than the cutoff. Pending, sending, undeliverable and failed rows stay
 * (the first three are still to be delivered; failed ones are what an operator investigates).
 * Rows naming a campaign that is not closed stay too: the reminder and escalation jobs ask
 * the outbox whether a dedupe key was already queued (find-queued-keys), so pruning the sent
 * reminder of a campaign still open would send it again.
 */
export function deleteSentOutbox(cutoff: Date, limit: number): SQL {
  return counted(sql`
    delete from outbox where id in (
      select o.id from outbox o
      where o.status = 'sent' and coalesce(o.sent_at, o.created_at) < ${cutoff.toISOString()}::timestamptz
        and not exists (
          select 1 from campaign c
          where c.status <> 'closed'
            and o.payload->>'campaignId' ~ '^[0-9a-fA-F-]{36}$' and c.id = (o.payload->>'campaignId')::uuid)
      limit ${limit})`);
}

/**
 * Slack message records (what a later `update` plan edits in place) untouched since the cutoff
 * and whose subject can no longer change, by thread key:
 * - `review:<campaign>:…`: the campaign closed before the cutoff. An open campaign's DM is
 *   refreshed on every decision; without its record the refresh would post a second DM.
 * - `case:<case>:…`: the case is verified, cancelled or denied. A `done` case is not final:
 *   the sync that proves its removals refreshes HR's message (close-verified-cases).
 * - `request:<request>:…`: the request is finished (nothing edits these today; kept while open
 *   in case something does).
 * - `task:<task>:…`: the task is done or cancelled (a failed task may still be retried).
 * Any other key is kept. And none is pruned while a refresh for its subject is still to be sent.
 */
export function deleteFinishedSlackMessages(cutoff: Date, limit: number): SQL {
  const at = sql`${cutoff.toISOString()}::timestamptz`;
  const kind = sql.raw(`split_part(sm.thread_key, ':', 1)`);
  return counted(sql`
    delete from slack_message where (thread_key, page) in (
      select sm.thread_key, sm.page from slack_message sm
      where sm.updated_at < ${at}
        and (
          (${kind} = 'review' and exists (
            select 1 from campaign c where c.id = ${keyPart(2)} and c.status = 'closed' and c.closed_at < ${at}))
          or (${kind} = 'case' and exists (
            select 1 from access_request r where r.id = ${keyPart(2)} and r.status in ('verified', 'cancelled', 'denied')))
          or (${kind} = 'request' and exists (
            select 1 from access_request r where r.id = ${keyPart(2)} and r.status in ('done', 'verified', 'cancelled', 'denied', 'failed')))
          or (${kind} = 'task' and exists (
            select 1 from task tk where tk.id = ${keyPart(2)} and tk.status in ('done', 'cancelled')))
        )
        and not exists (
          select 1 from outbox o
          where o.status in ('pending', 'sending', 'undeliverable')
            and o.kind in ('review.refresh', 'case.refresh')
            and coalesce(o.payload->>'campaignId', o.payload->>'caseId') = split_part(sm.thread_key, ':', 2))
      limit ${limit})`);
}

/**
 * Job slots finished before the cutoff. An unfinished slot is a run in progress (or one a dead
 * replica left, which the scheduler marks interrupted and runs again): never pruned. Slots are
 * keyed by their scheduled time, so a pruned slot is never claimed again: its time has passed.
 */
export function deleteFinishedJobSlots(cutoff: Date, limit: number): SQL {
  return counted(sql`
    delete from job_slot where (job, slot) in (
      select js.job, js.slot from job_slot js
      where js.finished_at is not null and js.finished_at < ${cutoff.toISOString()}::timestamptz
      limit ${limit})`);
}
