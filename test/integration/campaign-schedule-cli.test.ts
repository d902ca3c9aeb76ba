import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { EXIT_CODES } from '../../src/errors.js';
import { seedReviewDirectory } from '../factories/review-directory.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/run.ts');
const TSX = import.meta.resolve('tsx');

let cwd: string;
let env: Record<string, string>;
let pg: TestDatabase | undefined;

/** The real `attest campaign schedule …` process, on PGlite under DATA_DIR or this file's Postgres. */
beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'attest-schedule-'));
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

async function json(...args: string[]): Promise<unknown> {
  const r = await attest(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

describe('attest campaign schedule', () => {
  it('adds, lists and disables a schedule', { timeout: 90_000 }, async () => {
    const added = (await json('campaign', 'schedule', 'add', '--name', 'Quarterly access review', '--duration-days', '21', '--privileged-only', '--owner', 'comp@acme.test')) as Record<string, unknown>;
    expect(added).toMatchObject({ name: 'Quarterly access review', cron: '0 9 1 1,4,7,10 *', durationDays: 21, enabled: true, scope: { privilegedOnly: true } });
    const monthly = (await json('campaign', 'schedule', 'add', '--name', 'Monthly admins', '--cron', '0 8 1 * *')) as Record<string, unknown>;
    expect(monthly).toMatchObject({ cron: '0 8 1 * *', durationDays: 14 });

    const listed = (await json('campaign', 'schedule', 'list')) as Record<string, unknown>[];
    expect(listed.map((r) => [r.name, r.ownerEmail, r.enabled, r.lastPeriod])).toEqual([
      ['Monthly admins', 'comp@acme.test', true, null],
      ['Quarterly access review', 'comp@acme.test', true, null],
    ]);

    expect(await json('campaign', 'schedule', 'disable', String(monthly.id))).toMatchObject({ id: monthly.id, enabled: false });
    const again = await attest('campaign', 'schedule', 'disable', String(monthly.id));
    expect(again.status).toBe(EXIT_CODES.CONFLICT);
  });

  it('refuses a cron expression that is not five fields, naming the problem', async () => {
    const r = await attest('campaign', 'schedule', 'add', '--name', 'Bad', '--cron', '0 0 9 1 1 *');
    expect(r.status).toBe(EXIT_CODES.INVALID_INPUT);
    expect(r.stderr).toContain('five-field cron');
  });
});
