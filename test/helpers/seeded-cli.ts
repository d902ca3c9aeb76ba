import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { openDatabase, type Database, type Db } from '../../src/db/client.js';
import { seedReviewDirectory } from '../factories/review-directory.js';
import { runAttest, type AttestRun } from './attest-process.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { testDeps } from './deps.js';

/**
 * The real `attest` process against a seeded review directory: PGlite under DATA_DIR by
 * default, or this file's own Postgres database when TEST_DATABASE_URL is set. Registers the
 * file's beforeAll/afterAll; runs from an empty directory so no .env is read. `seed` changes
 * the directory after the factory's seeding; `env` may be added to (e.g. a fake Slack's URL)
 * before the first command.
 */
export function seededCli(prefix: string, opts: { seed?: (db: Db) => Promise<unknown> } = {}) {
  let cwd = '';
  const env: Record<string, string> = {};
  let pg: TestDatabase | undefined;

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), `${prefix}-`));
    Object.assign(env, { PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', LOG_LEVEL: 'silent' });
    let database: Database;
    if (process.env.TEST_DATABASE_URL) {
      pg = await createTestDatabase();
      database = pg;
      env.DATABASE_URL = pg.url!;
    } else {
      env.DATA_DIR = join(cwd, 'data');
      database = await openDatabase({ dataDir: env.DATA_DIR });
      await database.migrate();
    }
    await seedReviewDirectory(testDeps(database.db));
    await opts.seed?.(database.db);
    if (!pg) await database.close();
  }, 120_000);

  afterAll(async () => {
    await pg?.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  const attest = (...args: string[]): Promise<AttestRun> => runAttest(cwd, env, args);

  /** Runs with --json, expects success and one JSON document. */
  async function json<T = Record<string, unknown>>(...args: string[]): Promise<T> {
    const r = await attest(...args, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as T;
  }

  return { attest, json, env };
}
