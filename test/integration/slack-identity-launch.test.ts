import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { cliChatDirectory } from '../../src/cli/chat-directory.js';
import { evidenceEvent, person, reviewItem } from '../../src/db/schema/index.js';
import { launchCampaign } from '../../src/domain/reviews/launch-campaign.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { draftCampaign } from '../factories/campaign.js';
import { seedReviewDirectory } from '../factories/review-directory.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig, testDeps } from '../helpers/deps.js';

/**
 * A campaign launched right after `attest sync`, before any Slack mapping: reviewers who are in
 * Slack get their items (linked by users.lookupByEmail on the spot), not the campaign owner.
 */
let fake: FakeSlack;
let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;

beforeAll(async () => {
  fake = await startFakeSlack({
    users: [
      { id: 'U1', email: 'ceo@acme.test' },
      { id: 'U0MARIA', email: 'Maria@Acme.test', tz: 'Europe/Madrid' },
      { id: 'U0LI', email: 'li@acme.test' },
      { id: 'U8', email: 'comp@acme.test' },
      // sam is not in Slack at all.
    ],
  });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  await seedReviewDirectory(deps);
  // Synced, never mapped to Slack: maria and li are in Slack but the database does not know it yet.
  await t.db.update(person).set({ slackUserId: null }).where(inArray(person.email, ['maria@acme.test', 'li@acme.test']));
  fake.reset();
});
afterEach(async () => {
  await t.drop();
});

/** The directory the CLI builds from SLACK_BOT_TOKEN and SLACK_API_URL. */
const chat = () => cliChatDirectory(testConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.apiUrl }), deps.logger)!;

async function reviewersOf(campaignId: string) {
  const rows = await t.db
    .select({ reviewer: person.email, reason: reviewItem.fallbackReason })
    .from(reviewItem)
    .innerJoin(person, eq(person.id, reviewItem.reviewerId))
    .where(eq(reviewItem.campaignId, campaignId));
  return rows;
}

describe('launching a campaign links reviewers found in Slack first', () => {
  it('looks up only the reviewers without a Slack user, links those found, and routes their items to them', async () => {
    const c = await draftCampaign(deps);
    const res = await launchCampaign(deps, { campaignId: c.id, actor: 'cli:test', chat: chat() });

    const looked = fake.callsTo('users.lookupByEmail').map((x) => String(x.body.email)).sort();
    expect(looked).toEqual(['li@acme.test', 'maria@acme.test', 'sam@acme.test']);
    expect(fake.callsTo('users.list')).toHaveLength(0);

    const items = await reviewersOf(c.id);
    expect(items.filter((i) => i.reason?.includes('has no Slack account'))).toEqual([{ reviewer: 'comp@acme.test', reason: 'sam@acme.test has no Slack account' }]);
    expect(items.filter((i) => i.reviewer === 'maria@acme.test')).toHaveLength(4);
    expect(items.filter((i) => i.reviewer === 'li@acme.test')).toHaveLength(2);
    expect(res.summary.slack).toEqual({ linked: 4, notLinked: [{ email: 'sam@acme.test', reason: 'not found in Slack by email' }] });

    const [maria] = await t.db.select().from(person).where(eq(person.email, 'maria@acme.test'));
    expect(maria).toMatchObject({ slackUserId: 'U0MARIA', slackTz: 'Europe/Madrid' });
    const events = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'person.slack_linked'));
    expect(events.map((e) => e.payload).sort((a, b) => String(a.slackUserId).localeCompare(String(b.slackUserId)))).toEqual([
      { slackUserId: 'U0LI', via: 'users.lookupByEmail' },
      { slackUserId: 'U0MARIA', via: 'users.lookupByEmail' },
    ]);
    expect(events.every((e) => e.actor === 'cli:test')).toBe(true);
  });

  it('waits out a rate-limited lookup (Retry-After) instead of giving up on the reviewer', async () => {
    fake.inject('users.lookupByEmail', { error: 'ratelimited', retryAfter: 1, match: (b) => b.email === 'maria@acme.test' });
    const c = await draftCampaign(deps);
    const started = Date.now();
    const res = await launchCampaign(deps, { campaignId: c.id, actor: 'test', dryRun: true, chat: chat() });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.callsTo('users.lookupByEmail').filter((x) => x.body.email === 'maria@acme.test').map((x) => x.status)).toEqual([429, 200]);
    expect(res.summary.slack?.notLinked.map((n) => n.email)).toEqual(['sam@acme.test']);
  });

  it('names a reviewer whose lookup failed, and routes their items as before', async () => {
    fake.inject('users.lookupByEmail', { error: 'fatal_error', match: (b) => b.email === 'li@acme.test' });
    const c = await draftCampaign(deps);
    const res = await launchCampaign(deps, { campaignId: c.id, actor: 'test', dryRun: true, chat: chat() });
    expect(res.summary.slack?.notLinked).toEqual([
      { email: 'li@acme.test', reason: expect.stringMatching(/^Slack lookup failed: .*fatal_error/) },
      { email: 'sam@acme.test', reason: 'not found in Slack by email' },
    ]);
    expect(res.summary.fallbacks.map((f) => f.reason)).toContain('li@acme.test has no Slack account');
    expect(res.summary.fallbacks.map((f) => f.reason)).not.toContain('maria@acme.test has no Slack account');
  });

  it('without Slack configured looks nobody up, and says so', async () => {
    const c = await draftCampaign(deps);
    const res = await launchCampaign(deps, { campaignId: c.id, actor: 'test', dryRun: true });
    expect(fake.calls).toHaveLength(0);
    expect(res.summary.slack).toEqual({
      linked: 2,
      notLinked: ['li@acme.test', 'maria@acme.test', 'sam@acme.test'].map((email) => ({ email, reason: 'not looked up in Slack' })),
    });
  });
});
