import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';

/**
 * A sync streams what it reads into the database and diffs it there (accounts, people,
 * resources and grants alike), so its memory does not grow with the org. Measured in child
 * processes, one per sync (first, then unchanged), each printing its own peak RSS.
 * On Postgres; on PGlite only with SYNC_MEMORY_PGLITE=1. It holds there too (934 → 945 MB first,
 * 435 → 464 MB re-sync, measured), but says little: an embedded PGlite's RSS is mostly the
 * database itself (some 880 MB when it creates a data directory, 410 MB when it opens one), so
 * 20 % of it would hide a sync that grew by 100 MB.
 */
const run = promisify(execFile);
const CHILD = new URL('../helpers/sync-memory-child.ts', import.meta.url).pathname;
const GROUPS_EACH = 5;
const HEAP_MB = 80;

interface Phase {
  peakRssMb: number;
  status: string;
  accounts: number;
  people: number;
  added: number;
  removed: number;
  changed: number;
}

async function phase(users: number, which: 'first' | 'again', target: string): Promise<Phase> {
  // A bounded heap: a sync that held the org would die here at 20,000 users, and V8 collects
  // before it grows, so the peak measures what the sync holds rather than when V8 got round to it.
  const { stdout } = await run(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', CHILD, String(users), String(GROUPS_EACH), which, target], {
    timeout: 300_000,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Phase;
}

/** Peak RSS of a first sync and of an unchanged re-sync of an org of `users`. */
async function peaks(users: number, onPglite: boolean): Promise<{ first: number; again: number }> {
  const dir = onPglite ? mkdtempSync(join(tmpdir(), 'attest-sync-memory-')) : null;
  const db = onPglite ? null : await createTestDatabase();
  try {
    const target = dir ?? db!.url!;
    const first = await phase(users, 'first', target);
    expect(first).toMatchObject({ status: 'succeeded', accounts: users, people: users });
    const again = await phase(users, 'again', target);
    expect(again).toMatchObject({ status: 'succeeded', added: 0, removed: 0, changed: 0 });
    return { first: first.peakRssMb, again: again.peakRssMb };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  }
}

async function expectFlat(onPglite: boolean): Promise<void> {
  const small = await peaks(2_000, onPglite);
  const large = await peaks(20_000, onPglite);
  const says = `peak RSS ${JSON.stringify(small)} MB at 2,000 users, ${JSON.stringify(large)} MB at 20,000`;
  expect(large.first, says).toBeLessThanOrEqual(small.first * 1.2);
  expect(large.again, says).toBeLessThanOrEqual(small.again * 1.2);
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('sync memory (Postgres)', () => {
  it('peaks within 20% whether the org has 2,000 people or 20,000, first sync and unchanged re-sync', () => expectFlat(false), 900_000);
});

describe.skipIf(!process.env.SYNC_MEMORY_PGLITE)('sync memory (PGlite)', () => {
  it('peaks within 20% whether the org has 2,000 people or 20,000, first sync and unchanged re-sync', () => expectFlat(true), 1_800_000);
});
