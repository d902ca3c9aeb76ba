import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { lockDataDir } from './data-dir-lock.js';
import { pendingMigrations } from './pending-migrations.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** Either driver's database, or a transaction of it: query helpers accept all of them. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface Database {
  readonly db: Db;
  readonly kind: 'postgres' | 'pglite';
  /** Throws when the database cannot answer (drives /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
  migrate(): Promise<void>;
  /** Tags of the shipped migrations this database has not applied (read-only; see ensureMigrated). */
  pendingMigrations(): Promise<string[]>;
  /**
   * Calls `onNotify` with the payload of every NOTIFY on `channel`, from any process on this
   * database (on PGlite: this process). `onListen` runs each time listening (re)starts, so the
   * caller can catch up on what it may have missed while disconnected. Resolves with a stop
   * function once listening.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
}

export interface DatabaseOptions {
  /** postgres:// URL; when absent, embedded PGlite under `dataDir`. */
  url?: string | undefined;
  /** A directory, or `memory://` for a throwaway database (tests). */
  dataDir?: string;
  /** Connection pool size on Postgres. */
  max?: number;
}

/** The one client factory: Postgres through `postgres`, else embedded PGlite. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.url ? openPostgres(opts.url, opts.max ?? 10) : openPglite(opts.dataDir ?? './data');
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
    listen: async (channel, onNotify, onListen) => {
      // postgres-js keeps one dedicated connection for LISTEN and reconnects it on its own.
      const sub = await client.listen(channel, onNotify, onListen);
      return () => sub.unlisten();
    },
    pendingMigrations: () => pendingMigrations(db, migrationsFolder()),
    migrate: async () => {
      // A second process starting at the same moment waits here instead of racing the
      // migrator (which is not itself guarded); the lock is held on one dedicated connection.
      const { migrate } = await import('drizzle-orm/postgres-js/migrator');
      const lockClient = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await lockClient`select pg_advisory_lock(hashtext('attest.migrate'))`;
        await migrate(drizzle(lockClient), { migrationsFolder: migrationsFolder() });
        await lockClient`select pg_advisory_unlock(hashtext('attest.migrate'))`;
      } finally {
        await lockClient.end({ timeout: 5 });
      }
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let release = () => {};
  if (!dataDir.includes('://')) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  const client = await PGlite.create(dataDir).catch((err: unknown) => {
    release();
    throw err;
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
    listen: async (channel, onNotify, onListen) => {
      const stop = await client.listen(channel, onNotify);
      onListen?.();
      return () => stop();
    },
    pendingMigrations: () => pendingMigrations(db, migrationsFolder()),
    migrate: async () => {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(drizzle(client), { migrationsFolder: migrationsFolder() });
    },
  };
}

/** `drizzle/` beside `src/` or `dist/`, wherever the code runs from. */
export function migrationsFolder(): string {
  return new URL('../../drizzle', import.meta.url).pathname;
}
