import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * A sync streams grants into the database and diffs them there, so its memory does not grow
 * with them. Measured in child processes (peak RSS of the whole sync, first and unchanged).
 * Postgres only: an embedded PGlite's RSS is its own preallocated heap (about 800 MB from the
 * start), which would hide what the sync itself holds. Accounts and people are still diffed in
 * Node (a few kilobytes per person), so this holds the people fixed and varies the grants.
 */
const run = promisify(execFile);
const CHILD = new URL('../helpers/sync-memory-child.ts', import.meta.url).pathname;

async function peakRss(users: number, groupsEach: number): Promise<number> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, String(users), String(groupsEach), process.env.TEST_DATABASE_URL!], {
    timeout: 120_000,
    maxBuffer: 1 << 20,
  });
  const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { peakRssMb: number; first: [string, number, number]; again: [string, number, number] };
  expect(out.first[0]).toBe('succeeded');
  expect(out.again).toEqual(['succeeded', 0, 0]);
  return out.peakRssMb;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('sync memory (Postgres)', () => {
  it('peaks within 20% whether the org holds 6,000 grants or 82,000', async () => {
    const small = await peakRss(2000, 2);
    const large = await peakRss(2000, 40);
    expect(large, `${small} MB with 6,000 grants, ${large} MB with 82,000`).toBeLessThanOrEqual(small * 1.2);
  }, 180_000);
});
