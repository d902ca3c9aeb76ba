import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { homeViewErrors } from '../helpers/slack-blocks.js';
import { appHomeOpened } from '../helpers/slack-request.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';
import { seedAccessRequest, seedCampaign, seedPerson, seedReviewItems, seedTask } from '../helpers/slack-seed.js';
import { ACTION } from '../../src/slack/ids.js';

let t: TestDatabase;
let s: TestServer;

beforeAll(async () => {
  t = await createTestDatabase();
  s = await startTestServer(t);
  const mia = await seedPerson(t.db, { email: 'mia@example.com', name: 'Mia Manager', slackUserId: 'U0MIA' });
  const ron = await seedPerson(t.db, { email: 'ron@example.com', name: 'Ron <Report>', slackUserId: 'U0RON', managerId: mia });
  const q4 = await seedCampaign(t.db, { name: 'Q4 access review', ownerId: mia, dueAt: new Date('2026-12-31T23:59:59Z') });
  const draft = await seedCampaign(t.db, { name: 'Draft campaign', ownerId: mia, dueAt: new Date('2027-01-31T00:00:00Z'), status: 'draft' });
  await seedReviewItems(t.db, q4, mia, 4);
  await seedReviewItems(t.db, q4, mia, 2, 'approved');
  await seedReviewItems(t.db, draft, mia, 5);
  await seedTask(t.db, { ownerId: mia, description: 'Remove Ron from GitHub & Jira', deadline: new Date('2026-10-02T09:00:00Z') });
  await seedTask(t.db, { ownerId: mia, description: 'Already done', status: 'done' });
  await seedAccessRequest(t.db, { subjectId: ron, resourceName: 'Datadog', reason: 'on-call rotation' });
});
afterAll(async () => {
  await s?.close();
  await t?.drop();
});
beforeEach(() => s.fake.reset());

async function openHome(userId: string) {
  const res = await s.slack.event(appHomeOpened(userId));
  expect(res.status).toBe(200);
  const call = await s.fake.waitFor('views.publish', (c) => c.body.user_id === userId);
  expect(call.response).toMatchObject({ ok: true });
  return call.body.view as { type: string; blocks: unknown[] };
}

describe('App Home', () => {
  it("publishes the user's waiting work when they open the Home tab", async () => {
    const view = await openHome('U0MIA');
    expect(homeViewErrors(view)).toEqual([]);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('What is waiting for you, Mia');
    expect(text).toContain('Q4 access review');
    expect(text).toContain('4 items to review');
    expect(text).not.toContain('Draft campaign');
    expect(text).toContain('Remove Ron from GitHub &amp; Jira');
    expect(text).not.toContain('Already done');
    expect(text).toContain('Ron &lt;Report&gt;');
    expect(text).toContain('Datadog');
    expect(s.fake.state.homeViews.get('U0MIA')).toBeDefined();
  });

  it('publishes with the bot token', async () => {
    await openHome('U0MIA');
    expect(s.fake.callsTo('views.publish')[0]!.token).toBe('xoxb-test-token');
  });

  it('tells someone with nothing waiting so', async () => {
    const view = await openHome('U0RON');
    expect(JSON.stringify(view.blocks)).toContain('Nothing is waiting for you');
  });

  it("shows a friendly page to a Slack user who is not in the directory", async () => {
    const view = await openHome('U0NEWBIE');
    expect(homeViewErrors(view)).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain("you're not in the directory yet");
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    const res = await s.slack.event(appHomeOpened('U0MIA', 'messages'));
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(s.fake.callsTo('views.publish')).toEqual([]);
  });

  it('republishes the Home tab when Refresh is clicked', async () => {
    const res = await s.slack.action({ userId: 'U0MIA', actionId: ACTION.homeRefresh, view: { id: 'V1', type: 'home' } });
    expect(res.status).toBe(200);
    const call = await s.fake.waitFor('views.publish');
    expect(call.body.user_id).toBe('U0MIA');
  });

  it('logs and survives a views.publish that Slack refuses', async () => {
    s.fake.inject('views.publish', { error: 'not_enabled' });
    const res = await s.slack.event(appHomeOpened('U0MIA'));
    expect(res.status).toBe(200);
    const call = await s.fake.waitFor('views.publish');
    expect(call.response).toMatchObject({ ok: false, error: 'not_enabled' });
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });
});
