import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { reviewItem, slackMessage, type Campaign, type ReviewItem } from '../../src/db/schema/index.js';
import type { OutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { launchedCampaign } from '../factories/campaign.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { testDeps } from './deps.js';
import { startTestServer, type TestServer } from './serve.js';
import { startTestOutboxWorker } from './test-outbox-worker.js';

export interface ReviewFixture {
  t: TestDatabase;
  s: TestServer;
  worker: OutboxWorker;
  org: Seeded;
  c: Campaign;
  itemOf(accountExt: string, resourceExt: string): Promise<ReviewItem>;
  stop(): Promise<void>;
}

/**
 * A launched campaign with its DMs delivered by the real outbox worker and renderers to the
 * fake Slack, and the real server taking signed clicks: the reviewer's experience end to end.
 */
export async function startReviewFixture(): Promise<ReviewFixture> {
  const t = await createTestDatabase();
  const s = await startTestServer(t);
  const deps = testDeps(t.db);
  const org = await seedReviewDirectory(deps);
  const c = await launchedCampaign(deps);
  const worker = startTestOutboxWorker(s);
  await until(async () => (await t.db.select().from(slackMessage)).length >= 4);
  return {
    t,
    s,
    worker,
    org,
    c,
    itemOf: async (accountExt, resourceExt) => {
      const grantId = await org.grantOf(accountExt, resourceExt);
      return (await t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.grantId, grantId))))[0]!;
    },
    stop: async () => {
      await worker.stop();
      await s.close();
      await t.drop();
    },
  };
}

/**
 * Registers the file's hooks around startReviewFixture: started before all tests, stopped after
 * them, and the fake Slack's call log emptied before each test. Hooks run after the file is
 * read, so `bind` hands the fixture to the file's variables.
 */
export function reviewFixtureForFile(bind: (fixture: ReviewFixture) => void): void {
  let fixture: ReviewFixture | undefined;
  beforeAll(async () => {
    fixture = await startReviewFixture();
    bind(fixture);
  });
  afterAll(async () => {
    await fixture?.stop();
  });
  beforeEach(() => fixture!.s.fake.reset());
}

/** Polls until `probe` gives a value (not undefined or false), or fails after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
