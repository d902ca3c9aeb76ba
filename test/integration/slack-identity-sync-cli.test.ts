import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client.js';
import { evidenceEvent, person, syncRun } from '../../src/db/schema/index.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { ROOT, runAttest } from '../helpers/attest-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/**
 * `attest sync` as a real process, following the README: a directory file, then (with Slack
 * configured) people linked to their Slack users, so that a campaign launched next reaches them.
 */
const TOKEN = 'xoxb-northwind';

let cwd = '';
let pg: TestDatabase | undefined;
let fake: FakeSlack;
const env: Record<string, string> = {};

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'attest-slack-sync-'));
  copyFileSync(join(ROOT, 'examples/directory.csv'), join(cwd, 'directory.csv'));
  Object.assign(env, { PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', LOG_LEVEL: 'silent', DIRECTORY_FILE: join(cwd, 'directory.csv') });
  if (process.env.TEST_DATABASE_URL) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url!;
  } else {
    env.DATA_DIR = join(cwd, 'data');
  }
  fake = await startFakeSlack({
    tokens: [TOKEN],
    // Small pages: the CLI must follow users.list's cursor as the scheduled sync does.
    maxPageSize: 3,
    users: [
      { id: 'U0MAYA', email: 'MAYA@northwind.example', tz: 'America/Los_Angeles' },
      { id: 'U0DANIEL', email: 'daniel@northwind.example', tz: 'Europe/London' },
      { id: 'U0SOFIA', email: 'sofia@northwind.example' },
      { id: 'U0WEI', email: 'wei@northwind.example', tz: 'Asia/Shanghai' },
      { id: 'U0OLEG', email: 'oleg@northwind.example' },
      { id: 'U0TOMOLD', email: 'tom@northwind.example', deleted: true },
      { id: 'B0BOT', email: 'amara@northwind.example', is_bot: true },
      { id: 'U0GUEST', email: 'guest@elsewhere.example' },
    ],
  });
}, 120_000);
afterAll(async () => {
  await fake?.close();
  await pg?.drop();
  rmSync(cwd, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

const attest = (extraEnv: Record<string, string>, ...args: string[]) => runAttest(cwd, { ...env, ...extraEnv }, args);

const slack = (token = TOKEN) => ({ SLACK_BOT_TOKEN: token, SLACK_API_URL: fake.apiUrl });

/** Reads the database the CLI wrote (PGlite: only once the process has exited and let go of it). */
async function inDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = pg ?? (await openDatabase({ dataDir: env.DATA_DIR! }));
  try {
    return await fn(database.db);
  } finally {
    if (!pg) await database.close();
  }
}

type Report = Record<string, unknown> & { source: string; status: string };

describe('attest sync and Slack', () => {
  it('without Slack configured, syncs as before: no Slack call and no Slack counts', async () => {
    const r = await attest({}, 'sync', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const reports = JSON.parse(r.stdout) as Report[];
    expect(reports).toEqual([expect.objectContaining({ source: 'file', status: 'succeeded', people: 10 })]);
    expect(reports[0]).not.toHaveProperty('slackLinked');
    expect(reports[0]).not.toHaveProperty('slackUnlinked');
    expect(fake.calls).toHaveLength(0);
  }, 90_000);

  it('reports a Slack failure as a warning and still succeeds', async () => {
    const json = await attest(slack('xoxb-revoked'), 'sync', '--json');
    expect(json.status).toBe(0);
    const [report] = JSON.parse(json.stdout) as Report[];
    expect(report).toMatchObject({ status: 'succeeded', slackLinked: 0, slackUnlinked: 9, slackError: expect.stringContaining('invalid_auth') });

    const human = await attest(slack('xoxb-revoked'), 'sync');
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^file: succeeded/);
    expect(human.stderr).toMatch(/warning: could not link people to Slack users: .*invalid_auth/);
    expect(await inDatabase((db) => db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'person.slack_linked')))).toHaveLength(0);
  }, 90_000);

  it('links people to Slack users through users.list pages, each link an evidence event', async () => {
    const r = await attest(slack(), 'sync', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [report] = JSON.parse(r.stdout) as Report[];
    // Five people found in Slack (one by a differently cased email); the deleted user and the bot are not anyone.
    // Nine people are still employed (the suspended leaver is not), so four of them have no Slack user.
    expect(report).toMatchObject({ source: 'file', status: 'succeeded', slackLinked: 5, slackUnlinked: 4 });
    expect(report).not.toHaveProperty('slackError');
    expect(fake.callsTo('users.list')).toHaveLength(3);
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(0);
    expect(fake.callsTo('users.info')).toHaveLength(0);

    const { linked, events } = await inDatabase(async (db) => ({
      linked: await db.select({ id: person.id, email: person.email, slack: person.slackUserId, tz: person.slackTz }).from(person),
      events: await db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'person.slack_linked')),
    }));
    const maya = linked.find((p) => p.email === 'maya@northwind.example')!;
    expect(maya).toMatchObject({ slack: 'U0MAYA', tz: 'America/Los_Angeles' });
    expect(linked.find((p) => p.email === 'tom@northwind.example')!.slack).toBeNull();
    expect(linked.find((p) => p.email === 'amara@northwind.example')!.slack).toBeNull();
    expect(events).toHaveLength(5);
    expect(events.find((e) => e.subject.person === maya.id)).toMatchObject({ payload: { slackUserId: 'U0MAYA', via: 'users.list' } });
  }, 90_000);

  it('prints one object with the counts for one source, and links nobody twice', async () => {
    const r = await attest(slack(), 'sync', '--source', 'file', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'file', slackLinked: 5, slackUnlinked: 4 });

    const human = await attest(slack(), 'sync');
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/slack: 5 people linked to a Slack user \(0 newly linked\), 4 without one/);
    expect(await inDatabase((db) => db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'person.slack_linked')))).toHaveLength(5);
  }, 90_000);

  it('a source whose connector cannot start fails on its own: the other source syncs and people are still linked', async () => {
    // Google comes before the file in the source order; its key file is gone.
    const broken = { GOOGLE_CREDENTIALS: join(cwd, 'missing-google-key.json'), GOOGLE_ADMIN_SUBJECT: 'admin@northwind.example' };
    const r = await attest({ ...slack(), ...broken }, 'sync', '--json');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/sync of google failed: could not start the google connector: .*missing-google-key\.json/);
    const reports = JSON.parse(r.stdout) as Report[];
    expect(reports.map((x) => [x.source, x.status])).toEqual([
      ['google', 'failed'],
      ['file', 'succeeded'],
    ]);
    expect(reports[1]).toMatchObject({ people: 10, slackLinked: 5, slackUnlinked: 4 });
    expect(fake.callsTo('users.list').length).toBeGreaterThan(0);
    const runs = await inDatabase((db) => db.select().from(syncRun).where(eq(syncRun.source, 'google')));
    expect(runs).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringContaining('missing-google-key.json') })]);
  }, 90_000);
});
