import { sql } from 'drizzle-orm';
import { DRIFT_KIND } from '../../drift/drift-campaign.js';
import { latestSignedCountSql } from '../../reviews/signoff-coverage.js';
import { rowsOf } from './rows-of.js';
import type { Finding, FindingScope } from './types.js';

interface Unsigned {
  campaign_id: string;
  reviewer_id: string;
  email: string | null;
  items: number;
  /** Items the latest sign-off covers; null: never signed. */
  signed_items: number | null;
}

/**
 * A reviewer who decided every item assigned to them in a campaign (at either level) but whose
 * latest sign-off (as of the time judged) does not cover them all: never signed, or items
 * reached them after it (a second-level item, a handover) and they did not sign again. The
 * decisions stand, the attestation that they reflect a review as a whole does not, or not for
 * all of them. Not in the standing drift campaign, which asks for no sign-off (each item is
 * its own DM).
 */
export async function* missingSignoff(scope: FindingScope): AsyncGenerator<Finding> {
  const campaigns = scope.campaigns.filter((c) => c.kind !== DRIFT_KIND);
  if (campaigns.length === 0) return;
  const ids = sql.join(campaigns.map((c) => sql`${c.id}::uuid`), sql`, `);
  const decided = scope.rowsAsOf ? sql`ri.decision <> 'pending' and ri.decided_at <= ${scope.rowsAsOf}` : sql`ri.decision <> 'pending'`;
  const rows = rowsOf<Unsigned>(
    await scope.db.execute(sql`
      select d.campaign_id::text, d.reviewer_id::text, p.email, d.items, ls.item_count as signed_items
      from (
        select ri.campaign_id, ri.reviewer_id, count(*)::int as items from review_item ri
        where ri.campaign_id in (${ids})
        group by ri.campaign_id, ri.reviewer_id
        having bool_and(${decided})
      ) d
      left join person p on p.id = d.reviewer_id
      left join lateral ${latestSignedCountSql(sql`d.campaign_id`, sql`d.reviewer_id`, scope.rowsAsOf)} ls on true
      where ls.item_count is distinct from d.items
      order by d.campaign_id, p.email`),
  );
  const names = new Map(scope.campaigns.map((c) => [c.id, c.name]));
  for (const r of rows) {
    const campaign = `"${names.get(r.campaign_id) ?? r.campaign_id}"`;
    const items = Number(r.items);
    const signed = r.signed_items === null ? null : Number(r.signed_items);
    yield {
      type: 'signoff_missing',
      severity: 'medium',
      subject: r.email ?? `person:${r.reviewer_id}`,
      detail:
        signed === null
          ? `decided all ${items} item(s) in ${campaign} but never signed off`
          : `decided all ${items} item(s) in ${campaign} but the latest sign-off covers ${signed}: ${items - signed} item(s) reached them after it and are not covered`,
      evidence: [`campaign:${r.campaign_id}`, `person:${r.reviewer_id}`],
    };
  }
}
