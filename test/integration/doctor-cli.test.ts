import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { createFileConnector } from '../../src/connectors/file/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { grantRole } from '../../src/domain/people/grant-role.js';
import { linkChatUsers } from '../../src/domain/people/link-chat-users.js';
import { slackUserDirectory } from '../../src/slack/user-directory.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { manifestBotScopes } from '../fakes/slack/manifest-scopes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { createEmptyPostgres, runAttest } from '../helpers/doctor-cli.js';

const DIRECTORY = fileURLToPath(new URL('../../examples/directory.csv', import.meta.url));
const TOKEN = 'xoxb-doctor-token';
/** Everyone in examples/directory.csv who is a person, with a Slack user of the same email. */
const PEOPLE = ['maya', 'daniel', 'sofia', 'wei', 'oleg', 'priya', 'jonas', 'tom', 'amara'];

interface Report {
  ok: boolean;
  checks: { name: string; status: 'ok' | 'warn' | 'fail'; detail: string; fix: string | null }[];
}

let cwd = '';
let fake: FakeSlack;
let pg: TestDatabase | undefined;
let env: Record<string, string> = {};

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'attest-doctor-'));
  fake = await startFakeSlack({
    tokens: [TOKEN],
    channels: ['C0COMPLY', 'C0ELSEWHERE'],
    notInChannels: ['C0ELSEWHERE'],
    users: [
      ...PEOPLE.map((p, i) => ({ id: `U0${i}${p.toUpperCase()}`, email: `${p}@northwind.example` })),
      { id: 'U0LEE', email: 'lee@contractors.example' },
    ],
  });
  // A database set up as an operator would: migrated, synced from the file, linked to Slack, one admin.
  let database: Database;
  if (process.env.TEST_DATABASE_URL) {
    pg = await createTestDatabase();
    database = pg;
  } else {
    database = await openDatabase({ dataDir: join(cwd, 'data') });
    await database.migrate();
  }
  const deps = testDeps(database.db);
  const sync = await runSync(deps, createFileConnector({ path: DIRECTORY }));
  expect(sync.status).toBe('succeeded');
  const client = new WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  await linkChatUsers(deps, slackUserDirectory(client));
  await grantRole(deps, { email: 'maya@northwind.example', role: 'admin', actor: 'test' });
  if (!pg) await database.close();
  env = {
    ...(pg ? { DATABASE_URL: pg.url! } : { DATA_DIR: join(cwd, 'data') }),
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: 'doctor-signing-secret',
    SLACK_API_URL: fake.apiUrl,
    DIRECTORY_FILE: DIRECTORY,
    COMPLIANCE_CHANNEL: 'C0COMPLY',
    ATTEST_ADMINS: 'maya@northwind.example',
  };
}, 120_000);

afterAll(async () => {
  await fake?.close();
  await pg?.drop();
  rmSync(cwd, { recursive: true, force: true });
});

async function doctor(overrides: Record<string, string> = {}) {
  const run = await runAttest(cwd, { ...env, ...overrides }, 'doctor', '--json');
  const report = JSON.parse(run.stdout) as Report;
  const check = (name: string) => {
    const c = report.checks.find((x) => x.name === name);
    if (!c) throw new Error(`no ${name} check in ${run.stdout}`);
    return c;
  };
  return { ...run, report, check };
}

describe('attest doctor', () => {
  it('passes a correct set-up: exit 0, every check ok or warn, one JSON document of the documented shape', async () => {
    const r = await doctor();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(Object.keys(r.report)).toEqual(['ok', 'checks']);
    expect(r.report.ok).toBe(true);
    expect(r.report.checks.map((c) => c.name)).toEqual([
      'config',
      'database',
      'evidence_role',
      'slack_token',
      'slack_scopes',
      'slack_transport',
      'compliance_channel',
      'source:file',
      'slack_links',
      'admins',
      'undeliverable',
    ]);
    for (const c of r.report.checks) {
      expect(Object.keys(c)).toEqual(['name', 'status', 'detail', 'fix']);
      expect(['ok', 'warn']).toContain(c.status);
      if (c.status === 'ok') expect(c.fix).toBeNull();
      else expect(c.fix).toEqual(expect.any(String));
    }
    expect(r.check('database').status).toBe('ok');
    expect(r.check('slack_scopes').status).toBe('ok');
    expect(r.check('compliance_channel').detail).toContain('C0COMPLY');
    expect(r.check('slack_links')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/\d+ of \d+ people are linked to Slack/) });
    expect(r.check('admins').status).toBe('ok');
    expect(r.check('source:file').status).toBe('ok');
  });

  it('prints one line per check with the fix under it, and no fix for an ok check', async () => {
    const run = await runAttest(cwd, { ...env, COMPLIANCE_CHANNEL: '' }, 'doctor');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('[warn] compliance_channel:'));
    expect(at).toBeGreaterThan(-1);
    expect(lines[at + 1]).toMatch(/^\s+fix: set COMPLIANCE_CHANNEL/);
    const db = lines.findIndex((l) => l.startsWith('[ok]   database:'));
    expect(lines[db + 1]).not.toMatch(/fix:/);
  });

  it('fails a wrong Slack token with exit 78 and a fix naming SLACK_BOT_TOKEN', async () => {
    const r = await doctor({ SLACK_BOT_TOKEN: 'xoxb-not-the-right-one' });
    expect(r.status).toBe(78);
    expect(r.report.ok).toBe(false);
    expect(r.check('slack_token')).toMatchObject({ status: 'fail', detail: expect.stringContaining('invalid_auth') });
    expect(r.check('slack_token').fix).toContain('SLACK_BOT_TOKEN');
    expect(r.stderr).toContain('slack_token');
  });

  it('names each scope the token lacks and says to reinstall from the manifest', async () => {
    fake.state.scopes = manifestBotScopes().filter((s) => s !== 'users:read.email' && s !== 'files:write');
    try {
      const r = await doctor();
      expect(r.status).toBe(78);
      const scopes = r.check('slack_scopes');
      expect(scopes.status).toBe('fail');
      expect(scopes.detail).toContain('users:read.email');
      expect(scopes.detail).toContain('files:write');
      expect(scopes.detail).not.toContain('chat:write');
      expect(scopes.fix).toContain('slack-manifest.yaml');
    } finally {
      fake.state.scopes = manifestBotScopes();
    }
  });

  it('reports a compliance channel the bot is not in, with the fix to invite it', async () => {
    const r = await doctor({ COMPLIANCE_CHANNEL: 'C0ELSEWHERE' });
    expect(r.status).toBe(78);
    expect(r.check('compliance_channel')).toMatchObject({ status: 'fail', detail: expect.stringContaining('not a member') });
    expect(r.check('compliance_channel').fix).toContain('/invite @Attest');
  });

  it('reports a compliance channel that does not exist', async () => {
    const r = await doctor({ COMPLIANCE_CHANNEL: 'C0NOSUCHONE' });
    expect(r.check('compliance_channel')).toMatchObject({ status: 'fail', detail: expect.stringContaining('not found') });
    expect(r.check('compliance_channel').fix).toContain('COMPLIANCE_CHANNEL');
  });

  it('fails an unparseable DIRECTORY_FILE, naming the variable and the bad line', async () => {
    const bad = join(cwd, 'broken.csv');
    writeFileSync(bad, 'system,account_id\naws,"unterminated\n');
    const r = await doctor({ DIRECTORY_FILE: bad });
    expect(r.status).toBe(78);
    const file = r.check('source:file');
    expect(file.status).toBe('fail');
    expect(file.detail).toContain('broken.csv');
    expect(file.fix).toContain('DIRECTORY_FILE');
  });

  it('fails an unmigrated database and leaves it unmigrated', async () => {
    const empty = process.env.TEST_DATABASE_URL ? await createEmptyPostgres(process.env.TEST_DATABASE_URL) : undefined;
    const dataDir = join(cwd, 'empty-data');
    if (!empty) {
      // An existing but never-migrated PGlite database.
      await (await openDatabase({ dataDir })).close();
    }
    try {
      const r = await doctor(empty ? { DATABASE_URL: empty.url } : { DATA_DIR: dataDir });
      expect(r.status).toBe(78);
      expect(r.check('database')).toMatchObject({ status: 'fail', detail: expect.stringContaining('0 of') });
      expect(r.check('database').fix).toContain('attest migrate');
      // Checks that need the tables say so instead of crashing.
      expect(r.check('slack_links')).toMatchObject({ status: 'warn', detail: expect.stringContaining('not checked') });

      const after = await openDatabase(empty ? { url: empty.url } : { dataDir });
      try {
        const rows = await after.db.execute(sql`select to_regclass('public.person') is null as absent`);
        const [row] = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { absent: boolean }[];
        expect(row?.absent).toBe(true);
      } finally {
        await after.close();
      }
    } finally {
      await empty?.drop();
    }
  });
});
