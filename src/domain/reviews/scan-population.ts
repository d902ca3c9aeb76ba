import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Campaign } from '../../db/schema/index.js';
import { firstChoiceSql, inScopeSql, populationSql } from './population-sql.js';
import { rowsOf } from './rows-of.js';

/** What routing needs of one in-scope grant (its snapshot is copied by Postgres at insert). */
export interface PopulationRow {
  grantId: string;
  source: string;
  system: string;
  /** The subject; null for an orphaned account. */
  personId: string | null;
  /** The subject's email, else the account's email or login: how fallbacks name the item. */
  personEmail: string;
  resourceName: string;
  resourceOwnerId: string | null;
  resourceOwnerEmail: string | null;
  /** For an account that belongs to no person: who answers for it, as the source named them. */
  accountOwnerEmail: string | null;
  /** Who approved or carried out a grant request for it, as recorded (see findGrantApprovers). */
  approvers: string[] | null;
}

/**
 * Which in-scope grants are left for `assignReviewer`: in a dry run those that are not a first
 * choice; in a launch those not yet frozen by `insertFirstChoices` (so that each grant is
 * frozen exactly once even if a sync commits in between).
 */
export type Remaining = { notFirstChoice: true } | { notFrozenIn: string };

const PAGE = 5000;

/**
 * The in-scope grants still to route, handed to `onPage` a page at a time through a cursor:
 * one query plan for the whole population, and memory bounded by the page whatever the size
 * of the directory. Must run inside a transaction (cursors live in one).
 */
export async function scanPopulation(tx: Db, c: Campaign, remaining: Remaining, onPage: (rows: PopulationRow[]) => Promise<void>): Promise<void> {
  const left =
    'notFrozenIn' in remaining
      ? sql`not exists (select 1 from review_item i where i.campaign_id = ${remaining.notFrozenIn}::uuid and i.grant_id = g.id)`
      : sql`not ${firstChoiceSql(c)}`;
  await tx.execute(sql`
    declare launch_population no scroll cursor for
    select g.id::text as "grantId", g.source, r.system, p.id::text as "personId",
           coalesce(p.email, a.email, a.login) as "personEmail", r.name as "resourceName",
           r.owner_id::text as "resourceOwnerId", r.owner_email as "resourceOwnerEmail",
           case when p.id is null then a.owner_email end as "accountOwnerEmail",
           (select array_agg(x.actor) from access_request q cross join lateral (values (q.approved_by), (q.carried_out_by)) as x(actor)
             where q.grant_id = g.id and q.kind = 'grant' and x.actor is not null) as approvers
    ${populationSql(c)} and ${inScopeSql(c)} and ${left}`);
  for (;;) {
    const rows = rowsOf<PopulationRow>(await tx.execute(sql.raw(`fetch forward ${PAGE} from launch_population`)));
    if (rows.length > 0) await onPage(rows);
    if (rows.length < PAGE) break;
  }
  await tx.execute(sql`close launch_population`);
}
