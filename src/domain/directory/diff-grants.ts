import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import { matchedGrants, unreadLiveGrants, type GrantScope } from './grant-sql.js';

/** The grant side of a diff, as counts: the rows themselves stay in the database. */
export interface GrantDiff {
  /** Grants read whose account and resource were read too. */
  read: number;
  privileged: number;
  /** Grants naming an account or resource the source did not list (kept out, counted). */
  dangling: number;
  added: number;
  /** Still held, but privileged changed (through the resource, or the grant itself). */
  changed: number;
  removed: number;
  /** Live grants this read could not have seen: kept as they were. */
  unread: number;
  /** The source's live grants before this run. */
  live: number;
}

const n = (x: unknown) => Number(x ?? 0);

/** Set-based, in the database: how the staged grants differ from the source's live ones. */
export async function diffGrants(db: Db, scope: GrantScope): Promise<GrantDiff> {
  const [staged] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select count(*) as read, count(*) filter (where m.priv) as privileged,
        count(*) filter (where m.live_id is null) as added,
        count(*) filter (where m.live_id is not null and m.live_priv <> m.priv) as changed,
        count(*) filter (where m.live_id is not null) as matched,
        (select count(*) from sync_stage_grant where stage_id = ${scope.stageId}) as raw
      from (${matchedGrants(scope)}) m`),
  );
  const [unread] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select count(*) filter (where u.seen) as removed, count(*) filter (where not u.seen) as unread
      from (${unreadLiveGrants(scope)}) u`),
  );
  const removed = n(unread?.removed);
  const kept = n(unread?.unread);
  return {
    read: n(staged?.read),
    privileged: n(staged?.privileged),
    dangling: n(staged?.raw) - n(staged?.read),
    added: n(staged?.added),
    changed: n(staged?.changed),
    removed,
    unread: kept,
    live: n(staged?.matched) + removed + kept,
  };
}

