import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/db/client.js';

/**
 * For test names: whether racing calls really overlap. Postgres gives each transaction its own
 * connection; PGlite has one and runs them in turn, so there a race test shows the repeat, not
 * the overlap.
 */
export const OVERLAP = process.env.TEST_DATABASE_URL ? 'overlapping on Postgres' : 'in turn on PGlite';

export interface TestDatabase extends Database {
  /** The URL of this test's own database (Postgres only), for spawning processes against it. */
  url: string | undefined;
  /** Runs raw SQL, bypassing the app (for tampering tests). */
  raw(sqlText: string): Promise<void>;
  drop(): Promise<void>;
}

/**
 * A migrated, empty database for one test file: in-memory PGlite by default, or a fresh
 * database on the server named by TEST_DATABASE_URL (dropped afterwards).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await database.migrate();
    return {
      ...database,
      url: undefined,
      raw: async (q) => {
        const { sql } = await import('drizzle-orm');
        // Drizzle wraps driver errors as "Failed query"; the database's own message is the cause.
        await database.db.execute(sql.raw(q)).catch((err: Error) => {
          throw err.cause instanceof Error ? err.cause : err;
        });
      },
      drop: () => database.close(),
    };
  }
  const name = `attest_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = withDatabase(base, name);
  const database = await openDatabase({ url, max: 10 });
  await database.migrate();
  return {
    ...database,
    url,
    raw: async (q) => {
      const c = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await c.unsafe(q);
      } finally {
        await c.end();
      }
    },
    drop: async () => {
      await database.close();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
