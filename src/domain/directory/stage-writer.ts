import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/** Rows per INSERT at most: one JSON parameter each, so no limit on parameters applies. */
const BATCH = 2000;
/**
 * Characters of JSON per INSERT at most. Below V8's large-object size (128 KB), so a batch's text
 * is young garbage, freed by the next scavenge; a larger one would sit in the old heap until a
 * full collection, and the peak would grow with the number of batches, that is with the org.
 */
const BATCH_CHARS = 60_000;
/** INSERTs in flight at once: enough to overlap the fetching, few enough to bound memory. */
const IN_FLIGHT = 2;

/**
 * Buffers staging rows and writes them in batches while the read goes on. A batch is sent as
 * one JSON document (json_to_recordset), which both drivers pass as a single parameter. At most
 * IN_FLIGHT batches are in the air; the reader waits for the oldest beyond that, so a source
 * faster than the database cannot pile rows up in memory. A failed write fails the run.
 * A row is turned into its JSON text as it is added: the buffer holds text, not objects that
 * outlive the page they came in (and would be promoted to the old heap, to be collected late).
 * Duplicates within a batch are left to the statement (the last one wins, by position).
 */
export class StageWriter {
  private readonly buffers = new Map<string, { rows: string[]; chars: number }>();
  private readonly inFlight: Promise<void>[] = [];
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly db: Db,
    private readonly statements: Record<string, (json: string) => SQL>,
  ) {}

  /** Queues a row. */
  async add(table: string, row: Record<string, unknown>): Promise<void> {
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = { rows: [], chars: 0 }));
    const text = JSON.stringify(row);
    buffer.rows.push(text);
    buffer.chars += text.length + 1;
    if (buffer.rows.length >= BATCH || buffer.chars >= BATCH_CHARS) await this.flush(table);
  }

  /** Writes everything still buffered and waits for every write. */
  async finish(): Promise<void> {
    for (const table of [...this.buffers.keys()]) await this.flush(table);
    await Promise.all(this.inFlight.splice(0));
    this.rethrow();
  }

  /** After a failed read: lets the writes in the air settle, whatever they did. */
  async abandon(): Promise<void> {
    this.buffers.clear();
    await Promise.allSettled(this.inFlight.splice(0));
  }

  private rethrow(): void {
    if (this.failure) throw this.failure.error;
  }

  private async flush(table: string): Promise<void> {
    this.rethrow();
    const rows = this.buffers.get(table)?.rows ?? [];
    this.buffers.delete(table);
    if (rows.length === 0) return;
    const write = this.db
      .execute(this.statements[table]!(`[${rows.join(',')}]`))
      .then(() => undefined)
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
    this.inFlight.push(write);
    while (this.inFlight.length > IN_FLIGHT) await this.inFlight.shift();
    this.rethrow();
  }
}

/**
 * A batch's rows (`x`), numbered by position, with only the last of each key: the last read wins,
 * and one INSERT … ON CONFLICT DO UPDATE may not touch the same row twice.
 */
function lastOf(json: string, columns: string, key: string): SQL {
  const names = columns.split(',').map((c) => c.trim().split(' ')[0]).join(', ');
  return sql`(
    select distinct on (${sql.raw(key)}) * from rows from (json_to_recordset(${json}::json) as (${sql.raw(columns)})) with ordinality as x(${sql.raw(names)}, n)
    order by ${sql.raw(key)}, n desc) x`;
}

/** The staging statements of one stage: each takes a JSON array of rows (see readSource for the keys). */
export function stageStatements(stageId: string): Record<'account' | 'resource' | 'grant', (json: string) => SQL> {
  return {
    // A second read of the same account replaces the first.
    account: (json) => sql`
      insert into sync_stage_account (stage_id, external_id, seq, system, login, email, display_name, status, last_login_at,
        owner_email, attrs, link_email, has_person, person_name, person_title, person_department, manager_email, manager_ref)
      select ${stageId}::uuid, x.e, x.q, x.sy, x.l, x.em, x.d, x.st, x.ll, x.o, x.at, x.le, x.hp, x.pn, x.pt, x.pd, x.me, x.mr
      from ${lastOf(json, 'e text, q bigint, sy text, l text, em text, d text, st text, ll timestamptz, o text, at jsonb, le text, hp boolean, pn text, pt text, pd text, me text, mr text', 'e')}
      on conflict (stage_id, external_id) do update set seq = excluded.seq, system = excluded.system, login = excluded.login,
        email = excluded.email, display_name = excluded.display_name, status = excluded.status, last_login_at = excluded.last_login_at,
        owner_email = excluded.owner_email, attrs = excluded.attrs, link_email = excluded.link_email, has_person = excluded.has_person,
        person_name = excluded.person_name, person_title = excluded.person_title, person_department = excluded.person_department,
        manager_email = excluded.manager_email, manager_ref = excluded.manager_ref`,
    resource: (json) => sql`
      insert into sync_stage_resource (stage_id, external_id, privileged, members_read, system, kind, name, owner_email, attrs)
      select ${stageId}::uuid, x.e, x.p, x.m, x.sy, x.k, x.nm, x.o, x.at
      from ${lastOf(json, 'e text, p boolean, m boolean, sy text, k text, nm text, o text, at jsonb', 'e')}
      on conflict (stage_id, external_id) do update set privileged = excluded.privileged, members_read = excluded.members_read,
        system = excluded.system, kind = excluded.kind, name = excluded.name, owner_email = excluded.owner_email, attrs = excluded.attrs`,
    grant: (json) => sql`
      insert into sync_stage_grant (stage_id, account_external_id, resource_external_id, via, privileged)
      select ${stageId}::uuid, x.a, x.r, x.v, x.p from ${lastOf(json, 'a text, r text, v text, p boolean', 'a, r, v')}
      on conflict (stage_id, account_external_id, resource_external_id, via) do update set privileged = excluded.privileged`,
  };
}
