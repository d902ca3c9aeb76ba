import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.js';

const LOCK_FILE = 'attest.lock';

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * PGlite is one process's database: a second process on the same directory would fork the
 * evidence chain or corrupt pages. The first process holds `attest.lock` (its pid, host and
 * start time); a second one is refused with CONFLICT (exit 5). A lock whose process is gone
 * (a crash, `kill -9`, a container restarted with the same pid) is stale and taken over.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  for (let tries = 0; tries < 3; tries += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      const me: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => releaseIfMine(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(path);
    if (holder && isAlive(holder)) {
      throw new AppError(
        'CONFLICT',
        `DATA_DIR ${dataDir} is in use by process ${holder.pid} on ${holder.host} (since ${holder.startedAt}): stop it first, ` +
          'or set DATABASE_URL to a Postgres database to run several attest processes at once',
      );
    }
    rmSync(path, { force: true }); // stale: its holder is gone
  }
  throw new AppError('CONFLICT', `could not take the lock on DATA_DIR ${dataDir}: another process keeps taking it`);
}

function readHolder(path: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' ? { pid: h.pid, host: String(h.host ?? ''), startedAt: String(h.startedAt ?? '') } : undefined;
  } catch {
    return undefined; // half-written by a process killed mid-write: stale
  }
}

function isAlive(h: Holder): boolean {
  // Another host's pid means nothing here; a directory shared between hosts is not supported.
  if (h.host !== hostname()) return true;
  if (h.pid === process.pid) return false; // a previous life of this process (container restart)
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfMine(path: string): void {
  const holder = readHolder(path);
  if (holder?.pid === process.pid && holder.host === hostname()) rmSync(path, { force: true });
}
