import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { seedPerson } from '../helpers/slack-seed.js';
import { spawnServe, type ServeProcess } from '../helpers/spawn-serve.js';

/**
 * SIGTERM while listener work is still going on after its ack (here an export for a Slack
 * requester, slowed down at the fake's upload step): serve stops taking work, finishes it, and
 * exits 0. Before, it closed the database under the export and the requester got nothing.
 */
let pg: TestDatabase | undefined;
let dir = '';
let fake: FakeSlack;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'attest-shutdown-'));
  const database = process.env.TEST_DATABASE_URL ? (pg = await createTestDatabase()) : await openDatabase({ dataDir: join(dir, 'data') });
  if (!pg) await database.migrate();
  await seedPerson(database.db, { email: 'cara@acme.test', name: 'Cara Compliance', slackUserId: 'U0CARA', roles: ['compliance'] });
  if (!pg) await database.close();
  fake = await startFakeSlack();
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('serve on SIGTERM', () => {
  it('finishes listener work that runs after the ack, then exits 0', { timeout: 90_000 }, async () => {
    serve = await spawnServe({ ...(pg ? { databaseUrl: pg.url! } : { dataDir: join(dir, 'data') }), slackApiUrl: fake.apiUrl, env: { SHUTDOWN_TIMEOUT_S: '20' } });
    fake.inject('files.getUploadURLExternal', { latencyMs: 3000 });
    const res = await serve.slack.command({ user_id: 'U0CARA', text: 'export 2026-Q3', response_url: fake.responseUrl('export') });
    expect(res.status).toBe(200);
    // The "building it" answer: the export has started after the ack.
    await fake.waitFor('response_url', (c) => c.key === 'export', 20_000);
    const exited = new Promise<number | null>((resolve) => serve!.child.once('exit', (code) => resolve(code)));
    serve.child.kill('SIGTERM');
    const code = await exited;
    expect(code, serve.output()).toBe(0);
    // The upload that was in flight at SIGTERM was completed and posted.
    expect(fake.callsTo('files.completeUploadExternal'), serve.output()).toHaveLength(1);
  });
});
