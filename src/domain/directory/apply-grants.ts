import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import type { NewEvidence } from '../evidence/append-evidence.js';
import type { GrantDiff } from './diff-grants.js';
import { matchedGrants, unreadLiveGrants, type GrantScope } from './grant-sql.js';

/** Rows per statement that comes back to Node: the difference travels in bounded batches. */
const BATCH = 5000;

interface ApplyGrantsInput extends GrantScope {
  now: Date;
  /** What diffGrants found: a kind with nothing to do costs no statement (an unchanged re-sync writes nothing). */
  diff: Pick<GrantDiff, 'added' | 'changed' | 'removed'>;
  /** False on a source's first sync: one baseline event stands for the whole population. */
  recordAdditions: boolean;
  /** Appends a batch of events (in the run's transaction). */
  emit: (events: NewEvidence[]) => Promise<void>;
}

interface GrantRow {
  id: string;
  account_id: string;
  resource_id: string;
  via: string;
  privileged?: boolean;
  moved?: boolean;
}

/**
 * Makes the source's grants match the staged read, in SQL; only what changed comes back, a
 * batch at a time, for its evidence. Runs after the accounts and resources are written (new
 * grants need their ids). Returns the ids of the grants this run proves gone (verifyRemovals).
 */
export async function applyGrants(tx: Db, input: ApplyGrantsInput): Promise<{ removedGrantIds: string[] }> {
  const now = input.now.toISOString();
  const actor = `sync:${input.source}`;
  // Removals first: whether a removed grant only moved to another path (and so proves nothing)
  // is read from what is added in this same run, before it is added.
  const removedGrantIds: string[] = [];
  for (let more = input.diff.removed > 0; more; ) {
    const rows = rowsOf<GrantRow>(
      await tx.execute(sql`
        update access_grant ag set removed_at = ${now}::timestamptz
        from (
          select u.id, (moved.ae is not null) as moved
          from (${unreadLiveGrants(input)}) u
          left join (select distinct m.ae, m.re from (${matchedGrants(input)}) m where m.live_id is null) moved
            on moved.ae = u.ae and moved.re = u.re
          where u.seen limit ${BATCH}
        ) d
        where ag.id = d.id
        returning ag.id, ag.account_id, ag.resource_id, ag.via, d.moved`),
    );
    for (const r of rows) if (!r.moved) removedGrantIds.push(r.id);
    await input.emit(
      rows.map((r) => ({ actor, action: 'grant.removed', subject: { grant: r.id, account: r.account_id, resource: r.resource_id }, payload: { via: r.via } })),
    );
    more = rows.length === BATCH;
  }

  if (input.diff.changed > 0) {
    await tx.execute(sql`
    update access_grant ag set privileged = m.priv, last_seen_at = ${now}::timestamptz
    from (${matchedGrants(input)}) m
    where ag.id = m.live_id and m.live_priv <> m.priv`);
  }

  // A grant removed earlier and now back reuses its row (unique on account, resource, via).
  const insert = (limit: number | null) => sql`
    insert into access_grant (source, account_id, resource_id, via, privileged, first_seen_at, last_seen_at)
    select ${input.source}, m.account_id, m.resource_id, m.via, m.priv, ${now}::timestamptz, ${now}::timestamptz
    from (${matchedGrants(input)}) m where m.live_id is null
    ${limit === null ? sql`` : sql`limit ${limit}`}
    on conflict (account_id, resource_id, via) do update set removed_at = null, last_seen_at = excluded.last_seen_at, privileged = excluded.privileged`;
  if (input.diff.added === 0) return { removedGrantIds };
  if (!input.recordAdditions) {
    await tx.execute(insert(null));
    return { removedGrantIds };
  }
  for (let more = true; more; ) {
    const rows = rowsOf<GrantRow>(await tx.execute(sql`${insert(BATCH)} returning id, account_id, resource_id, via, privileged`));
    await input.emit(
      rows.map((r) => ({ actor, action: 'grant.added', subject: { grant: r.id, account: r.account_id, resource: r.resource_id }, payload: { via: r.via, privileged: r.privileged } })),
    );
    more = rows.length === BATCH;
  }
  return { removedGrantIds };
}

