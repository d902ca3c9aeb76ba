import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { EXIT_CODES } from '../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { seedReviewDirectory } from '../factories/review-directory.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/run.ts');
const TSX = import.meta.resolve('tsx');

let cwd: string;
let env: Record<string, string>;
let pg: TestDatabase | undefined;

/**
 * The real `attest` process against a seeded database: PGlite under DATA_DIR by default, or
 * this file's own Postgres database when TEST_DATABASE_URL is set. Run from an empty directory
 * so no .env is read.
 */
beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'attest-campaign-'));
  env = { PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', LOG_LEVEL: 'silent' };
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
  if (!pg) await database.close();
}, 120_000);

afterAll(async () => {
  await pg?.drop();
  rmSync(cwd, { recursive: true, force: true });
});

function attest(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

async function json(...args: string[]): Promise<Record<string, unknown>> {
  const r = await attest(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('attest campaign', () => {
  it('creates, dry-runs, launches, reports and closes a campaign end to end', async () => {
    const created = await json('campaign', 'create', '--name', 'Q4 review', '--due', '2099-12-31', '--non-response', 'revoke');
    expect(created).toMatchObject({ name: 'Q4 review', status: 'draft', reviewerRule: 'manager', nonResponse: 'revoke', dueAt: '2099-12-31T23:59:59.999Z' });
    const id = created.id as string;

    const dry = await json('campaign', 'launch', id, '--dry-run');
    expect(dry).toMatchObject({ id, status: 'draft', dryRun: true, reviewers: 4, items: 11, systems: ['github', 'okta'] });
    expect(dry.fallbacks).toHaveLength(5);
    expect((dry.fallbacks as { reason: string }[]).map((f) => f.reason)).toContain('sam@acme.test has no Slack account');

    const human = await attest('campaign', 'launch', id, '--dry-run');
    expect(human.stdout).toMatch(/would create 11 items for 4 reviewers/);
    expect(human.stdout).toMatch(/jo@acme.test · GitHub \(github\) → comp@acme.test: sam@acme.test has no Slack account/);

    const launched = await json('campaign', 'launch', id);
    expect(launched).toMatchObject({ id, status: 'launched', dryRun: false, items: 11 });

    const again = await attest('campaign', 'launch', id, '--json');
    expect(again.status).toBe(EXIT_CODES.CONFLICT);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(again.stderr).toMatch(/already launched/);

    const status = await json('campaign', 'status', id);
    expect(Object.keys(status).slice(0, 9)).toEqual(['id', 'name', 'status', 'items', 'pending', 'approved', 'revoked', 'reviewers', 'fallbacks']);
    expect(status).toMatchObject({ id, name: 'Q4 review', status: 'launched', items: 11, pending: 11, approved: 0, revoked: 0, reviewers: 4 });

    const listed = (await json('campaign', 'list')) as unknown as { id: string; status: string; items: number }[];
    expect(listed).toEqual([expect.objectContaining({ id, status: 'launched', items: 11, pending: 11 })]);

    const closed = await json('campaign', 'close', id);
    expect(closed).toMatchObject({ id, status: 'closed', items: 11, revoked: 11, autoRevoked: 11, undecided: 0 });
    const twice = await attest('campaign', 'close', id);
    expect(twice.status).toBe(EXIT_CODES.CONFLICT);
  }, 120_000);

  it('rejects bad input with the INVALID_INPUT exit code and a readable line', async () => {
    const past = await attest('campaign', 'create', '--name', 'Old', '--due', '2001-01-01');
    expect(past.status).toBe(EXIT_CODES.INVALID_INPUT);
    expect(past.stderr).toMatch(/^attest: The due date .* is in the past/);
    const unknown = await attest('campaign', 'status', 'nope', '--json');
    expect(unknown.status).toBe(EXIT_CODES.NOT_FOUND);
  }, 60_000);

  it('documents every subcommand in --help', async () => {
    const help = await attest('campaign', '--help');
    for (const sub of ['create', 'launch', 'list', 'status', 'close']) expect(help.stdout).toContain(sub);
    const create = await attest('campaign', 'create', '--help');
    expect(create.stdout).toMatch(/--due <date>.*end of that day in TZ/s);
    expect(create.stdout).toMatch(/--reviewer <rule>.*choices: "manager", "owner"/s);
  }, 60_000);
});
