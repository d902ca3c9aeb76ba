import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** The server benchmarks make their scratch databases on (BENCH_DATABASE_URL, else the local one). */
export const PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database, even with connections still open. */
  drop(): Promise<void>;
}

/** A fresh, empty database on PG_BASE's server, so that each run starts from the same state. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `attest_bench_${randomBytes(4).toString('hex')}`;
  await onServer((sql) => sql.unsafe(`create database ${name}`));
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  return { name, url: u.toString(), drop: () => onServer((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)) };
}

async function onServer(fn: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(PG_BASE, { max: 1, onnotice: () => {} });
  try {
    await fn(sql);
  } finally {
    await sql.end();
  }
}
