import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildQuarter, Q, rezip } from '../factories/quarter.js';
import { openDatabase } from '../../src/db/client.js';
import { register as registerExport } from '../../src/cli/commands/export.js';
import { register as registerVerify } from '../../src/cli/commands/verify.js';
import { AppError, EXIT_CODES } from '../../src/errors.js';

/**
 * The CLI opens its own database from the environment: on Postgres the test database's URL,
 * on PGlite a data directory (an in-memory PGlite cannot be shared with the command).
 */
let t: TestDatabase | undefined;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attest-cli-'));
  if (process.env.TEST_DATABASE_URL) {
    t = await createTestDatabase();
    await buildQuarter(t.db);
    env = { DATABASE_URL: t.url! };
  } else {
    const database = await openDatabase({ dataDir: join(dir, 'data') });
    await database.migrate();
    await buildQuarter(database.db);
    await database.close();
    env = { DATA_DIR: join(dir, 'data') };
  }
});
afterAll(async () => {
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

async function capture<T>(fn: () => Promise<T>): Promise<{ out: string; result?: T; err?: unknown }> {
  const saved = { ...process.env };
  Object.assign(process.env, env, { LOG_LEVEL: 'silent', TZ: 'UTC' });
  const out: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const result = await fn();
    return { out: out.join(''), result };
  } catch (err) {
    return { out: out.join(''), err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.env = saved;
  }
}

/**
 * Commands mounted on a program of their own: main.ts loads commands by a variable import that
 * vite cannot follow, and does not list `export` yet. The real process is spawned once below.
 */
function command(name: 'export' | 'verify', args: string[]) {
  const program = new Command('attest').exitOverride();
  registerExport(program);
  registerVerify(program);
  return capture(() => program.parseAsync(['node', 'attest', name, ...args]));
}
const exportCommand = (args: string[]) => command('export', args);

/** The real `attest` process (verify is already wired into main.ts). */
function attest(...args: string[]): Promise<{ status: number | null; stdout: string }> {
  const cli = new URL('../../src/cli/run.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), cli, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, LOG_LEVEL: 'silent' } });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout });
    }),
  );
}

describe('attest export', () => {
  it('prints {file, sha256, files} with --json', async () => {
    const file = join(dir, 'q4.zip');
    const { out, err } = await exportCommand(['--quarter', Q.quarter, '--out', file, '--json']);
    expect(err).toBeUndefined();
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['file', 'sha256', 'files']);
    expect(doc).toMatchObject({ file, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(doc.files).toEqual(['population.csv', 'decisions.csv', 'signoffs.csv', 'exceptions.csv', 'remediation.csv', 'terminations.csv', 'access-requests.csv', 'findings.csv', 'reconciliation.csv', 'evidence.jsonl', 'report.html', 'manifest.json']);
  });

  it('prints a readable summary without --json', async () => {
    const { out, err } = await exportCommand(['--from', '2026-10-01', '--to', '2026-12-31', '--out', join(dir, 'range.zip')]);
    expect(err).toBeUndefined();
    expect(out).toMatch(/Wrote .*range\.zip/);
    expect(out).toContain('attest verify --bundle');
  });

  it.each([
    [['--out', 'x.zip'], /No single period/],
    [['--quarter', '2026-Q5', '--out', 'x.zip'], /not a quarter/],
    [['--from', '2026-10-01', '--out', 'x.zip'], /needs both --from and --to/],
    [['--from', '2026-12-01', '--to', '2026-10-01', '--out', 'x.zip'], /starts .* after it ends/],
    [['--quarter', '2026-Q4', '--campaign', 'abc', '--out', 'x.zip'], /No single period/],
    [['--quarter', '2026-Q4'], /--out/],
  ])('refuses %j with exit code 2', async (args, message) => {
    const { err } = await exportCommand(args);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(message);
    expect(EXIT_CODES[(err as AppError).code]).toBe(2);
  });
});

describe('attest verify --bundle', () => {
  it('passes an untouched bundle and fails a tampered one, naming the file', async () => {
    const file = join(dir, 'verify.zip');
    await exportCommand(['--quarter', Q.quarter, '--out', file, '--json']);
    const good = await command('verify', ['--bundle', file, '--json']);
    expect(good.err).toBeUndefined();
    expect(JSON.parse(good.out)).toMatchObject({ ok: true, events: 21, head: expect.any(String) });

    const tampered = join(dir, 'tampered.zip');
    await rezip(file, tampered, 'decisions.csv', (b) => Buffer.concat([b, Buffer.from('x')]));
    const bad = await command('verify', ['--bundle', tampered, '--json']);
    expect((bad.err as AppError).code).toBe('INTEGRITY');
    expect((bad.err as AppError).message).toContain('decisions.csv');
    const report = JSON.parse(bad.out);
    expect(report.ok).toBe(false);
    expect(report.files.filter((f: { ok: boolean }) => !f.ok).map((f: { name: string }) => f.name)).toEqual(['decisions.csv']);

    // The real process, with no database configured at all: exit code 1 and the same report.
    const proc = await attest('verify', '--bundle', tampered, '--json');
    expect(proc.status).toBe(1);
    expect(JSON.parse(proc.stdout)).toMatchObject({ ok: false, files: expect.arrayContaining([{ name: 'decisions.csv', ok: false, reason: expect.any(String) }]) });
  });
});
