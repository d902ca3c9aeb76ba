import { sql } from 'drizzle-orm';
import { inItemWindows } from '../export/item-window.js';
import type { Finding, FindingScope } from './types.js';

interface Pace {
  campaign_id: string;
  decided_by: string;
  email: string | null;
  approvals: number;
  decisions: number;
  median_gap: number;
}

/**
 * A reviewer who approved many items with a median of a few seconds between consecutive
 * decisions did not look at them. Gaps are taken over all of that reviewer's decisions in the
 * campaign (approvals and revocations) in time order; a bulk "approve all" has gaps of zero.
 */
export async function* rubberStamping(scope: FindingScope): AsyncGenerator<Finding> {
  if (scope.campaigns.length === 0) return;
  const { minApprovals, medianSeconds } = scope.rubberStamp;
  const ids = sql.join(scope.campaigns.map((c) => sql`${c.id}::uuid`), sql`, `);
  const result = await scope.db.execute(sql`
    with d as (
      select campaign_id, decided_by, decision, decided_at,
             extract(epoch from decided_at - lag(decided_at) over (partition by campaign_id, decided_by order by decided_at)) as gap
      from review_item
      where campaign_id in (${ids}) and decided_by is not null and decision <> 'pending'
        and ${inItemWindows(scope.campaigns, sql`review_item.campaign_id`, { hints: sql`review_item.hints`, decidedAt: sql`review_item.decided_at`, requestId: sql`review_item.request_id` })}
    )
    select d.campaign_id::text, d.decided_by::text, p.email,
           (count(*) filter (where d.decision = 'approved'))::int as approvals,
           count(*)::int as decisions,
           percentile_cont(0.5) within group (order by d.gap)::float8 as median_gap
    from d left join person p on p.id = d.decided_by
    group by d.campaign_id, d.decided_by, p.email
    having count(*) filter (where d.decision = 'approved') >= ${minApprovals}
       and percentile_cont(0.5) within group (order by d.gap) < ${medianSeconds}
    order by d.campaign_id, p.email`);
  // postgres-js answers with the rows themselves, PGlite with { rows }.
  const raw = result as unknown as Pace[] | { rows: Pace[] };
  const rows = Array.isArray(raw) ? raw : raw.rows;
  const names = new Map(scope.campaigns.map((c) => [c.id, c.name]));
  for (const r of rows) {
    yield {
      type: 'rubber_stamping',
      severity: 'medium',
      subject: r.email ?? `person:${r.decided_by}`,
      detail: `approved ${r.approvals} of ${r.decisions} items in "${names.get(r.campaign_id) ?? r.campaign_id}" with a median of ${Number(r.median_gap).toFixed(1)} s between decisions (threshold: ${minApprovals} approvals, ${medianSeconds} s)`,
      evidence: [`campaign:${r.campaign_id}`, `person:${r.decided_by}`],
    };
  }
}
