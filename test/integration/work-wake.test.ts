import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '@slack/web-api';
import { systemClock } from '../../src/clock.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { startOffboarding } from '../../src/domain/lifecycle/start-offboarding.js';
import { startBackgroundWork } from '../../src/jobs/background.js';
import { memoryConnector, member, group, user } from '../fakes/memory-connector.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * Work that a committed change makes due now starts at once, not at the next poll (which these
 * tests set to an hour). On Postgres the change is committed through a second connection pool,
 * as another replica or the CLI would, so the wake crosses processes through LISTEN/NOTIFY; on
 * PGlite (one process) the notification comes back to the same handle.
 */
const PG = Boolean(process.env.TEST_DATABASE_URL);
let t: TestDatabase;
let other: Database | undefined;
let fake: FakeSlack;

const okta = memoryConnector({
  accounts: [user('u-boss', 'boss@acme.test'), user('u-ana', 'ana@acme.test', { manager: 'u-boss' }), user('u-bo', 'bo@acme.test', { manager: 'u-boss' })],
  resources: [group('g-eng', 'Engineering')],
  grants: [member('u-ana', 'g-eng'), member('u-bo', 'g-eng')],
});
const registry = lazyRegistry(async (s) => (s === 'okta' ? okta : undefined));
beforeAll(async () => {
  t = await createTestDatabase();
  await runSync({ ...testDeps(t.db), clock: systemClock }, okta);
  // Where the change is committed: another connection pool on Postgres, the same handle on PGlite.
  other = PG ? await openDatabase({ url: t.url!, max: 2 }) : undefined;
  fake = await startFakeSlack();
});
afterAll(async () => {
  await other?.close();
  await fake.close();
  await t.drop();
});

async function until(what: string, probe: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

describe(`work that becomes due now${PG ? ' (Postgres: woken across connections through LISTEN/NOTIFY)' : ''}`, () => {
  it('an offboarding effective now deactivates the account within seconds although the task poll is an hour away', async () => {
    const deps = { ...testDeps(t.db, { REVOKE_MODE: 'auto' }), clock: systemClock, connectors: registry };
    const deactivated: string[] = [];
    const deactivate = okta.deactivateAccount!;
    okta.deactivateAccount = async (id) => {
      deactivated.push(id);
      await deactivate(id);
    };
    const slack = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const work = startBackgroundWork(deps, { slack, renderers: {}, automatedTasksEveryMs: 3_600_000, listen: t.listen });
    try {
      // Let the start-up run (nothing due) finish and the listener attach.
      await new Promise((r) => setTimeout(r, 500));
      const committer = other ? { ...deps, db: other.db } : deps;
      const started = Date.now();
      await startOffboarding(committer, registry, { person: 'ana@acme.test', effectiveAt: new Date(), reasonCategory: 'resignation', actor: 'cli:test', origin: 'cli' });
      const ms = await until('the Okta deactivation', () => deactivated.includes('u-ana'), 10_000);
      console.log(`effective-now offboarding → deactivation: ${Date.now() - started} ms (${ms} ms after commit) on ${PG ? 'postgres' : 'pglite'}`);
      expect(ms).toBeLessThan(10_000);
    } finally {
      await work.stop();
    }
  });
});
