import { sql } from 'drizzle-orm';
import { DRIFT_KIND } from '../../drift/drift-campaign.js';
import { rowsOf } from './rows-of.js';
import type { Finding, FindingScope } from './types.js';

interface Unsigned {
  campaign_id: string;
  reviewer_id: string;
  email: string | null;
  items: number;
}

/**
 * A reviewer who decided every item assigned to them in a campaign (at either level) but never
 * signed off: the decisions stand, the attestation that they reflect a review as a whole does not.
 * Not in the standing drift campaign, which asks for no sign-off (each item is its own DM).
 */
export async function* missingSignoff(scope: FindingScope): AsyncGenerator<Finding> {
  const campaigns = scope.campaigns.filter((c) => c.kind !== DRIFT_KIND);
  if (campaigns.length === 0) return;
  const ids = sql.join(campaigns.map((c) => sql`${c.id}::uuid`), sql`, `);
  const decided = scope.rowsAsOf ? sql`ri.decision <> 'pending' and ri.decided_at <= ${scope.rowsAsOf}` : sql`ri.decision <> 'pending'`;
  const signedBy = scope.rowsAsOf ? sql`and s.signed_at <= ${scope.rowsAsOf}` : sql``;
  const rows = rowsOf<Unsigned>(
    await scope.db.execute(sql`
      select ri.campaign_id::text, ri.reviewer_id::text, p.email, count(*)::int as items
      from review_item ri left join person p on p.id = ri.reviewer_id
      where ri.campaign_id in (${ids})
        and not exists (select 1 from review_signoff s where s.campaign_id = ri.campaign_id and s.reviewer_id = ri.reviewer_id ${signedBy})
      group by ri.campaign_id, ri.reviewer_id, p.email
      having bool_and(${decided})
      order by ri.campaign_id, p.email`),
  );
  const names = new Map(scope.campaigns.map((c) => [c.id, c.name]));
  for (const r of rows) {
    yield {
      type: 'signoff_missing',
      severity: 'medium',
      subject: r.email ?? `person:${r.reviewer_id}`,
      detail: `decided all ${r.items} item(s) in "${names.get(r.campaign_id) ?? r.campaign_id}" but never signed off`,
      evidence: [`campaign:${r.campaign_id}`, `person:${r.reviewer_id}`],
    };
  }
}
