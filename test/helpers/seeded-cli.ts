import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { seedReviewDirectory } from '../factories/review-directory.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { testDeps } from './deps.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/run.ts');
const TSX = import.meta.resolve('tsx');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real `attest` process against a seeded review directory: PGlite under DATA_DIR by
 * default, or this file's own Postgres database when TEST_DATABASE_URL is set. Registers the
 * file's beforeAll/afterAll; runs from an empty directory so no .env is read.
 */
export function seededCli(prefix: string) {
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
    if (!pg) await database.close();
  }, 120_000);

  afterAll(async () => {
    await pg?.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  function attest(...args: string[]): Promise<CliRun> {
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

  /** Runs with --json, expects success and one JSON document. */
  async function json<T = Record<string, unknown>>(...args: string[]): Promise<T> {
    const r = await attest(...args, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as T;
  }

  return { attest, json };
}
