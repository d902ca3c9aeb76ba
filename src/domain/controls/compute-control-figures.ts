import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { birthrightSql, grantRequestedSql } from '../reviews/grant-explained-sql.js';
import { rowsOf } from '../reviews/rows-of.js';
import type { ControlFigures } from './types.js';

export interface ControlPeriod {
  from: Date;
  /** Exclusive; also the instant the state-based figures are judged at. */
  to: Date;
  slaHours: number;
}


/**
 * Computes the control figures of one period from the database, in one read-only pass of a
 * few aggregates. MFA is the directory as last synced (the source keeps no history of it);
 * everything else is judged at `to`, so a past period reads the same later.
 */
export async function computeControlFigures(db: Db, p: ControlPeriod): Promise<ControlFigures> {
  const from = p.from.toISOString();
  const to = p.to.toISOString();
  const [mfa, provisioning, removals, awaiting, reviews] = await Promise.all([
    mfaFigures(db),
    provisioningFigures(db, from, to),
    leaverHours(db, from, to),
    awaitingVerification(db, to),
    reviewFigures(db, from, to),
  ]);
  const hours = removals.filter((r) => r.hours !== null).map((r) => Math.max(0, Math.round(r.hours! * 10) / 10));
  return {
    from,
    to,
    mfa,
    provisioning,
    removals: {
      leavers: removals.length,
      withinSla: hours.filter((h) => h <= p.slaHours).length,
      late: hours.filter((h) => h > p.slaHours).length,
      open: removals.length - hours.length,
      slaHours: p.slaHours,
      hours,
      awaitingVerification: awaiting,
    },
    reviews,
  };
}

async function mfaFigures(db: Db): Promise<ControlFigures['mfa']> {
  // Privileged: the account holds a live privileged grant (or a grant to a privileged resource).
  const [r] = rowsOf<Record<string, number>>(
    await db.execute(sql`
      select count(*)::int as active,
        count(*) filter (where a.mfa_enrolled)::int as enrolled,
        count(*) filter (where a.mfa_enrolled = false)::int as not_enrolled,
        count(*) filter (where a.mfa_enrolled is null)::int as unknown,
        count(*) filter (where a.mfa_enrolled is not true and exists (
          select 1 from access_grant g join resource r on r.id = g.resource_id
          where g.account_id = a.id and g.removed_at is null and (g.privileged or r.privileged)))::int as privileged_without
      from account a
      where a.removed_at is null and a.status = 'active'`),
  );
  return {
    active: Number(r?.active ?? 0),
    enrolled: Number(r?.enrolled ?? 0),
    notEnrolled: Number(r?.not_enrolled ?? 0),
    unknown: Number(r?.unknown ?? 0),
    privilegedWithout: Number(r?.privileged_without ?? 0),
  };
}

async function provisioningFigures(db: Db, from: string, to: string): Promise<ControlFigures['provisioning']> {
  // A source's first sync is its baseline: its grants were there before Attest, not granted in the period.
  const [r] = rowsOf<Record<string, number>>(
    await db.execute(sql`
      with baseline as (
        select source, min(first_seen_at) as at from account group by source
      ), fresh as (
        select g.id, g.resource_id, a.person_id, p.department, p.title
        from access_grant g
        join baseline b on b.source = g.source
        join account a on a.id = g.account_id
        left join person p on p.id = a.person_id
        where g.first_seen_at >= ${from}::timestamptz and g.first_seen_at < ${to}::timestamptz and g.first_seen_at > b.at
      )
      select count(*)::int as new_grants,
        count(*) filter (where
          ${grantRequestedSql({ grantId: sql`f.id`, personId: sql`f.person_id`, resourceId: sql`f.resource_id` })}
          or ${birthrightSql({ personId: sql`f.person_id`, resourceId: sql`f.resource_id`, department: sql`f.department`, title: sql`f.title` })}
          or exists (select 1 from review_item i where i.grant_id = f.id and i.decision in ('approved', 'kept')
                  and i.decided_at < ${to}::timestamptz))::int as approved,
        (select count(*)::int from review_item i join campaign c on c.id = i.campaign_id
          where c.kind = 'drift' and i.decision = 'pending') as unapproved_open
      from fresh f`),
  );
  return { newGrants: Number(r?.new_grants ?? 0), approved: Number(r?.approved ?? 0), unapprovedOpen: Number(r?.unapproved_open ?? 0) };
}

/**
 * Offboarding cases that took effect in the period and their hours to full removal: from the
 * effective time to the last of its removals seen gone by a sync (the case's own verification
 * when it has no removals). Null: not fully removed and verified as of `to`.
 */
async function leaverHours(db: Db, from: string, to: string): Promise<{ hours: number | null }[]> {
  const rows = rowsOf<{ hours: number | string | null }>(
    await db.execute(sql`
      with cases as (
        select c.id, coalesce(c.effective_at, c.created_at) as effective, c.status, c.verified_at
        from access_request c
        where c.kind = 'offboard' and c.parent_id is null and c.status not in ('cancelled', 'denied')
          and coalesce(c.effective_at, c.created_at) >= ${from}::timestamptz and coalesce(c.effective_at, c.created_at) < ${to}::timestamptz
      ), parts as (
        select q.parent_id as case_id, count(*) as n,
          count(*) filter (where q.verified_at is not null and q.verified_at < ${to}::timestamptz) as verified,
          max(q.verified_at) as last_verified
        from access_request q join cases c on c.id = q.parent_id
        where q.status not in ('cancelled', 'denied')
        group by q.parent_id
      )
      select case
          when p.n is not null and p.n = p.verified then extract(epoch from (p.last_verified - c.effective)) / 3600
          when p.n is null and c.verified_at is not null and c.verified_at < ${to}::timestamptz then extract(epoch from (c.verified_at - c.effective)) / 3600
        end as hours
      from cases c left join parts p on p.case_id = c.id`),
  );
  return rows.map((r) => ({ hours: r.hours === null ? null : Number(r.hours) }));
}

/** Revocations decided before `to` and not proved gone by a sync by then. */
async function awaitingVerification(db: Db, to: string): Promise<number> {
  const [r] = rowsOf<{ n: number }>(
    await db.execute(sql`
      select count(*)::int as n from access_request q
      where q.kind = 'revoke' and q.created_at < ${to}::timestamptz
        and q.status in ('approved', 'in_progress', 'done', 'failed', 'verified')
        and (q.verified_at is null or q.verified_at >= ${to}::timestamptz)`),
  );
  return Number(r?.n ?? 0);
}

/**
 * Campaigns open at `to` or closed in the period (drift campaigns stand open by design and are
 * counted under provisioning): on schedule when still open before their due date, or closed by
 * it. Overdue reviewers: people with undecided items in a campaign past its due date.
 */
async function reviewFigures(db: Db, from: string, to: string): Promise<ControlFigures['reviews']> {
  const [r] = rowsOf<Record<string, number>>(
    await db.execute(sql`
      with c as (
        select id, due_at, closed_at from campaign
        where kind <> 'drift' and launched_at is not null and launched_at < ${to}::timestamptz
          and (closed_at is null or closed_at >= ${from}::timestamptz)
      )
      select
        (select count(*)::int from c) as campaigns,
        (select count(*)::int from c where (c.closed_at is null or c.closed_at >= ${to}::timestamptz) and c.due_at >= ${to}::timestamptz
           or (c.closed_at < ${to}::timestamptz and c.closed_at <= c.due_at)) as on_schedule,
        (select count(distinct i.reviewer_id)::int from review_item i join c on c.id = i.campaign_id
           where c.due_at < ${to}::timestamptz and (c.closed_at is null or c.closed_at >= ${to}::timestamptz)
             and (i.decision = 'pending' or i.decided_at >= ${to}::timestamptz)) as overdue_reviewers,
        (select count(*)::int from review_item i join c on c.id = i.campaign_id
           where c.due_at < ${to}::timestamptz and (c.closed_at is null or c.closed_at >= ${to}::timestamptz)
             and (i.decision = 'pending' or i.decided_at >= ${to}::timestamptz)) as overdue_items`),
  );
  return {
    campaigns: Number(r?.campaigns ?? 0),
    onSchedule: Number(r?.on_schedule ?? 0),
    overdueReviewers: Number(r?.overdue_reviewers ?? 0),
    overdueItems: Number(r?.overdue_items ?? 0),
  };
}
