import { beforeAll, describe, expect, it } from 'vitest';
import { openHomeTab } from '../helpers/app-home.js';
import type { TestDatabase } from '../helpers/db.js';
import { homeViewErrors } from '../helpers/slack-blocks.js';
import { appHomeOpened } from '../helpers/slack-request.js';
import type { TestServer } from '../helpers/serve.js';
import { serverForFile } from '../helpers/server-for-file.js';
import { seedAccessRequest, seedCampaign, seedPerson, seedReviewItems, seedTask } from '../helpers/slack-seed.js';
import { ACTION } from '../../src/slack/ids.js';
import { outbox } from '../../src/db/schema/index.js';

let t: TestDatabase;
let s: TestServer;
serverForFile((started) => ({ t, s } = started));

beforeAll(async () => {
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
  await seedPerson(t.db, { email: 'cora@example.com', name: 'Cora Compliance', slackUserId: 'U0CORA', roles: ['compliance'] });
  // A reminder that waits for someone who has no Slack user yet.
  const una = await seedPerson(t.db, { email: 'una@example.com', name: 'Una Unlinked' });
  await t.db.insert(outbox).values({
    kind: 'review.reminder',
    recipientPersonId: una,
    payload: {},
    status: 'undeliverable',
    nextAttemptAt: new Date('2026-10-01T08:00:00Z'),
    createdAt: new Date('2026-10-01T08:00:00Z'),
  });
});

const openHome = (userId: string) => openHomeTab(s, userId);

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

  it('shows compliance the setup checklist, with each fix and the undelivered messages, and checks at most once in a while', async () => {
    const view = await openHome('U0CORA');
    expect(homeViewErrors(view)).toEqual([]);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Setup checklist');
    // The test server sets no COMPLIANCE_CHANNEL: a warning with the variable to set.
    expect(text).toContain('compliance_channel');
    expect(text).toContain('set COMPLIANCE_CHANNEL');
    expect(text).toContain('Una Unlinked');
    expect(text).toContain('Identity sources are not read from here');
    expect(s.fake.callsTo('auth.test')).toHaveLength(1);

    s.fake.reset();
    await openHome('U0CORA');
    expect(s.fake.callsTo('auth.test')).toEqual([]);
  });

  it('shows a plain manager no setup checklist', async () => {
    const view = await openHome('U0MIA');
    const text = JSON.stringify(view.blocks);
    expect(text).not.toContain('Setup');
    expect(text).not.toContain('Una Unlinked');
    expect(s.fake.callsTo('auth.test')).toEqual([]);
  });
});
