import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runAttest } from '../helpers/attest-process.js';
import { buildQuarter, Q, type Quarter } from '../factories/quarter.js';
import { addReviewDepth } from '../factories/review-depth.js';
import { openDatabase } from '../../src/db/client.js';

/**
 * `attest findings` as a real process. It opens its own database from the environment: on
 * Postgres the test database's URL, on PGlite a data directory.
 */
let t: TestDatabase | undefined;
let dir: string;
let env: Record<string, string>;
let q: Quarter;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attest-findings-'));
  const base = { PATH: process.env.PATH ?? '', HOME: dir, LOG_LEVEL: 'silent', TZ: 'UTC' };
  if (process.env.TEST_DATABASE_URL) {
    t = await createTestDatabase();
    q = await buildQuarter(t.db);
    await addReviewDepth(t.db, q);
    env = { ...base, DATABASE_URL: t.url! };
  } else {
    const database = await openDatabase({ dataDir: join(dir, 'data') });
    await database.migrate();
    q = await buildQuarter(database.db);
    await addReviewDepth(database.db, q);
    await database.close();
    env = { ...base, DATA_DIR: join(dir, 'data') };
  }
});
afterAll(async () => {
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('attest findings', () => {
  it('prints every rule’s current findings as one JSON document with --json', async () => {
    const run = await runAttest(dir, env, ['findings', '--quarter', Q.quarter, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as { period: { label: string; campaigns: string[] }; findings: { type: string; severity: string; subject: string; evidence: string[] }[] };
    expect(doc.period).toMatchObject({ label: '2026-Q4', campaigns: [q.campaign.id] });
    const of = (type: string) => doc.findings.filter((f) => f.type === type).map((f) => f.subject).sort();
    expect(of('suggested_revokes_approved')).toEqual(['maria@acme.test']);
    expect(of('signoff_missing')).toEqual(['ivan@acme.test', 'maria@acme.test', 'olivia@acme.test']);
    // The same rules as the bundle: the quarter's other findings are there too.
    expect(of('terminated_but_active')).toEqual(['tom@acme.test']);
    expect(of('stale_access').length).toBeGreaterThan(0);
    expect(doc.findings.every((f) => ['high', 'medium', 'low'].includes(f.severity) && f.evidence.length > 0)).toBe(true);
  });

  it('prints one line per finding without --json, and refuses a bad period with exit code 2', async () => {
    const run = await runAttest(dir, env, ['findings', '--quarter', Q.quarter]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Findings for 2026-Q4 as of .*: \d+/);
    expect(run.stdout).toMatch(/medium +signoff_missing +maria@acme\.test: decided all 4 item\(s\) in "Q4 review" but never signed off/);

    const bad = await runAttest(dir, env, ['findings', '--quarter', '2026-Q5']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not a quarter');
  });
});
