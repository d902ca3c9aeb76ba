import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/** Rows per INSERT: one JSON parameter each, so no limit on parameters applies. */
const BATCH = 4000;
/** INSERTs in flight at once: enough to overlap the fetching, few enough to bound memory. */
const IN_FLIGHT = 2;

type Row = Record<string, string | boolean>;

/**
 * Buffers staging rows and writes them in batches while the read goes on. A batch is sent as
 * one JSON document (json_to_recordset), which both drivers pass as a single parameter. At most
 * IN_FLIGHT batches are in the air; the reader waits for the oldest beyond that, so a source
 * faster than the database cannot pile rows up in memory. A failed write fails the run.
 */
export class StageWriter {
  private readonly buffers = new Map<string, Map<string, Row>>();
  private readonly inFlight: Promise<void>[] = [];
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly db: Db,
    private readonly statements: Record<string, (json: string) => SQL>,
  ) {}

  /** Queues a row; a row with the same key as one still buffered replaces it (the last read wins). */
  async add(table: string, key: string, row: Row): Promise<void> {
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = new Map()));
    buffer.delete(key);
    buffer.set(key, row);
    if (buffer.size >= BATCH) await this.flush(table);
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
    const rows = [...(this.buffers.get(table)?.values() ?? [])];
    this.buffers.delete(table);
    if (rows.length === 0) return;
    const write = this.db
      .execute(this.statements[table]!(JSON.stringify(rows)))
      .then(() => undefined)
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
    this.inFlight.push(write);
    while (this.inFlight.length > IN_FLIGHT) await this.inFlight.shift();
    this.rethrow();
  }
}

/** The staging statements of one stage: each takes a JSON array of rows. */
export function stageStatements(stageId: string): Record<'account' | 'resource' | 'grant', (json: string) => SQL> {
  return {
    account: (json) => sql`
      insert into sync_stage_account (stage_id, external_id)
      select ${stageId}::uuid, x.e from json_to_recordset(${json}::json) as x(e text)
      on conflict do nothing`,
    resource: (json) => sql`
      insert into sync_stage_resource (stage_id, external_id, privileged, members_read)
      select ${stageId}::uuid, x.e, x.p, x.m from json_to_recordset(${json}::json) as x(e text, p boolean, m boolean)
      on conflict (stage_id, external_id) do update set privileged = excluded.privileged, members_read = excluded.members_read`,
    grant: (json) => sql`
      insert into sync_stage_grant (stage_id, account_external_id, resource_external_id, via, privileged)
      select ${stageId}::uuid, x.a, x.r, x.v, x.p from json_to_recordset(${json}::json) as x(a text, r text, v text, p boolean)
      on conflict (stage_id, account_external_id, resource_external_id, via) do update set privileged = excluded.privileged`,
  };
}
