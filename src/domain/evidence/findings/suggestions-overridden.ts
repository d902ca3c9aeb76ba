import { sql } from 'drizzle-orm';
import { rowsOf } from './rows-of.js';
import { inItemWindows } from '../export/item-window.js';
import type { Finding, FindingScope } from './types.js';

interface Overrides {
  campaign_id: string;
  decided_by: string;
  email: string | null;
  suggested: number;
}

/**
 * A reviewer who approved every item Attest suggested revoking (no sign-in for STALE_LOGIN_DAYS,
 * or never), having been shown at least one: the suggestions were not read. A `kept` exception
 * or a revoke is a considered answer, so one of those among them clears the reviewer.
 */
export async function* suggestionsOverridden(scope: FindingScope): AsyncGenerator<Finding> {
  if (scope.campaigns.length === 0) return;
  const ids = sql.join(scope.campaigns.map((c) => sql`${c.id}::uuid`), sql`, `);
  const asOf = scope.rowsAsOf ? sql`and decided_at <= ${scope.rowsAsOf}` : sql``;
  const rows = rowsOf<Overrides>(
    await scope.db.execute(sql`
      select ri.campaign_id::text, ri.decided_by::text, p.email, count(*)::int as suggested
      from review_item ri left join person p on p.id = ri.decided_by
      where ri.campaign_id in (${ids}) and ri.decided_by is not null and ri.decision <> 'pending' ${asOf}
        and ${inItemWindows(scope.campaigns, sql`ri.campaign_id`, { hints: sql`ri.hints`, decidedAt: sql`ri.decided_at`, requestId: sql`ri.request_id` })}
        and ri.hints -> 'suggestRevoke' is not null and jsonb_typeof(ri.hints -> 'suggestRevoke') = 'object'
      group by ri.campaign_id, ri.decided_by, p.email
      having bool_and(ri.decision = 'approved')
      order by ri.campaign_id, p.email`),
  );
  const names = new Map(scope.campaigns.map((c) => [c.id, c.name]));
  for (const r of rows) {
    yield {
      type: 'suggested_revokes_approved',
      severity: 'medium',
      subject: r.email ?? `person:${r.decided_by}`,
      detail: `approved all ${r.suggested} item(s) suggested for revocation in "${names.get(r.campaign_id) ?? r.campaign_id}" (no sign-in for the stale-login window, or never)`,
      evidence: [`campaign:${r.campaign_id}`, `person:${r.decided_by}`],
    };
  }
}
