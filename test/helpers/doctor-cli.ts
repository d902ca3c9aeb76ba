import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { runAttest as run, type AttestRun } from './attest-process.js';

export type CliRun = AttestRun;

/**
 * The real `attest` process with exactly the environment given (plus PATH, HOME, TZ and a
 * silent log), from `cwd` so that no .env of the repository is read.
 */
export function runAttest(cwd: string, env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return run(cwd, { PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', LOG_LEVEL: 'silent', ...env }, args);
}

/** An empty Postgres database (never migrated) on the TEST_DATABASE_URL server, and how to drop it. */
export async function createEmptyPostgres(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `attest_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
