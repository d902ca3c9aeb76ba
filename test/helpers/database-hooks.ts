import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.js';
import { testDeps } from './deps.js';

export type TestDeps = ReturnType<typeof testDeps>;

/*
 * Hooks run before the tests but after the file is read, so these hand what they open to the
 * file's own variables through `bind` (e.g. `(fresh) => ({ t, deps } = fresh)`).
 */

/** Registers beforeEach/afterEach: every test gets its own empty database (and deps on it). */
export function databaseEachTest(bind: (fresh: { t: TestDatabase; deps: TestDeps }) => void): void {
  let t: TestDatabase | undefined;
  beforeEach(async () => {
    t = await createTestDatabase();
    bind({ t, deps: testDeps(t.db) });
  });
  afterEach(async () => {
    await t?.drop();
  });
}

/** Registers beforeAll/afterAll: one empty database that the file's tests share. */
export function databaseForFile(bind: (t: TestDatabase) => void): void {
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await createTestDatabase();
    bind(t);
  });
  afterAll(async () => {
    await t?.drop();
  });
}
