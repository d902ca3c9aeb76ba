import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { accessRequest, reviewItem } from '../../src/db/schema/index.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import { launchedCampaign } from '../factories/campaign.js';
import { seedReviewDirectory } from '../factories/review-directory.js';
import { runAttest } from '../helpers/attest-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * `Keep as exception` in what an operator reads from the real `attest` process: `campaign
 * status` counts kept items apart from approved and revoked, and closing with the `revoke`
 * non-response rule leaves them kept. On Postgres the test database, on PGlite a data directory.
 *
 * maria decides her four items: li's Engineering approved, sam's Engineering revoked, li's AWS
 * Admins kept as an exception; gone's Engineering (and everyone else's items) stay pending.
 */
let pg: TestDatabase | undefined;
let dir: string;
let env: Record<string, string>;
let campaignId: string;
let keptId: string;

/** The database, opened in this process (PGlite allows one process at a time: closed after). */
async function withDb<T>(fn: (db: Database['db']) => Promise<T>): Promise<T> {
  if (pg) return fn(pg.db);
  const database = await openDatabase({ dataDir: join(dir, 'data') });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attest-kept-'));
  const base = { PATH: process.env.PATH ?? '', HOME: dir, LOG_LEVEL: 'silent', TZ: 'UTC' };
  let database: Database;
  if (process.env.TEST_DATABASE_URL) {
    pg = await createTestDatabase();
    database = pg;
    env = { ...base, DATABASE_URL: pg.url! };
  } else {
    database = await openDatabase({ dataDir: join(dir, 'data') });
    await database.migrate();
    env = { ...base, DATA_DIR: join(dir, 'data') };
  }
  const deps = testDeps(database.db);
  const org = await seedReviewDirectory(deps);
  const c = await launchedCampaign(deps, { name: 'Kept review', dueAt: '2099-12-31', nonResponse: 'revoke' });
  campaignId = c.id;
  const item = async (accountExt: string, resourceExt: string) =>
    (await database.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.grantId, await org.grantOf(accountExt, resourceExt)))))[0]!;
  const maria = org.people.maria!.id;
  await decideItem(deps, { itemId: (await item('u3', 'g1')).id, decision: 'approved', actorPersonId: maria });
  await decideItem(deps, { itemId: (await item('u4', 'g1')).id, decision: 'revoked', reason: 'moved to sales', actorPersonId: maria });
  keptId = (await item('u3', 'g2')).id;
  await decideItem(deps, { itemId: keptId, decision: 'kept', exceptionControl: 'Every sign-in is reviewed weekly', exceptionEndsAt: new Date('2027-03-31T23:59:59Z'), actorPersonId: maria });
  if (!pg) await database.close();
}, 120_000);
afterAll(async () => {
  await pg?.drop();
  await rm(dir, { recursive: true, force: true });
});

const attest = (...args: string[]) => runAttest(dir, env, args);
async function json(...args: string[]): Promise<Record<string, unknown>> {
  const r = await attest(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('kept exceptions in attest campaign status and close', () => {
  it('counts kept items apart from approved and revoked, after the documented keys', async () => {
    const status = await json('campaign', 'status', campaignId);
    expect(Object.keys(status).slice(0, 10)).toEqual(['id', 'name', 'status', 'items', 'pending', 'approved', 'revoked', 'reviewers', 'fallbacks', 'kept']);
    expect(status).toMatchObject({ items: 11, pending: 8, approved: 1, revoked: 1, kept: 1, reviewers: 4, secondLevel: null });
    const maria = (status.byReviewer as { email: string; pending: number; decided: number }[]).find((r) => r.email === 'maria@acme.test');
    expect(maria).toMatchObject({ pending: 1, decided: 3 });

    const human = await attest('campaign', 'status', campaignId);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('11 items: 8 pending, 1 approved, 1 revoked, 1 kept as an exception; 4 reviewers');
  }, 120_000);

  it('closes with the revoke rule without revoking the kept item', async () => {
    const closed = await json('campaign', 'close', campaignId);
    expect(closed).toMatchObject({ status: 'closed', items: 11, approved: 1, revoked: 9, kept: 1, autoRevoked: 8, undecided: 0 });

    const status = await json('campaign', 'status', campaignId);
    expect(status).toMatchObject({ status: 'closed', items: 11, pending: 0, approved: 1, revoked: 9, kept: 1 });
    expect((await attest('campaign', 'status', campaignId)).stdout).toContain('11 items: 0 pending, 1 approved, 9 revoked, 1 kept as an exception; 4 reviewers');

    await withDb(async (db) => {
      const [kept] = await db.select().from(reviewItem).where(eq(reviewItem.id, keptId));
      expect(kept).toMatchObject({ decision: 'kept', requestId: null, exceptionControl: 'Every sign-in is reviewed weekly' });
      expect(await db.select().from(accessRequest).where(eq(accessRequest.origin, `review_item:${keptId}`))).toEqual([]);
      expect(await db.select().from(accessRequest).where(eq(accessRequest.kind, 'revoke'))).toHaveLength(9);
    });
  }, 120_000);

  it('says the kept items in the human close line, and not when there are none', async () => {
    const plain = await json('campaign', 'create', '--name', 'No exceptions', '--due', '2099-12-31');
    await json('campaign', 'launch', plain.id as string);
    const human = await attest('campaign', 'status', plain.id as string);
    expect(human.stdout).toContain('11 items: 11 pending, 0 approved, 0 revoked; 4 reviewers');
    const closed = await attest('campaign', 'close', plain.id as string);
    expect(closed.stdout).toMatch(/: 0 approved, 0 revoked of 11; 11 items left undecided and flagged\./);
  }, 120_000);
});
