import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { fixedClock } from '../../src/clock.js';
import { evidenceEvent, outbox, person, reviewItem } from '../../src/db/schema/index.js';
import { createCampaignTemplate } from '../../src/domain/reviews/create-campaign-template.js';
import { scheduledJobs } from '../../src/jobs/background.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { slackUserDirectory } from '../../src/slack/user-directory.js';
import { draftCampaign } from '../factories/campaign.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';

/**
 * Every way a campaign launches from `serve` (the Launch button, the create form's preview, a
 * scheduled launch) looks up by email the reviewers still without a Slack user, as `attest
 * campaign launch` does: someone who joined Slack after the last users.list mapping reviews
 * their team's access themselves instead of the campaign owner.
 */
let t: TestDatabase;
let s: TestServer;
let seeded: Seeded;

beforeEach(async () => {
  t = await createTestDatabase();
  // maria is in Slack (under an id the database has never seen); sam is not.
  s = await startTestServer(t, { fake: { users: [{ id: 'U8', email: 'comp@acme.test' }, { id: 'U0MARIA', email: 'maria@acme.test', tz: 'Europe/Madrid' }] } });
  seeded = await seedReviewDirectory(testDeps(t.db)); // comp (U8) is the admin, so holds compliance
  // Synced, never mapped to Slack since she joined it.
  await t.db.update(person).set({ slackUserId: null }).where(eq(person.email, 'maria@acme.test'));
}, 60_000);
afterEach(async () => {
  await s?.close();
  await t?.drop();
});

const maria = () => seeded.people.maria!;

async function itemsOf(campaignId: string, reviewerId: string) {
  return t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, campaignId), eq(reviewItem.reviewerId, reviewerId)));
}

async function reviewDmsOf(campaignId: string) {
  const rows = await t.db.select().from(outbox).where(eq(outbox.kind, 'review.request'));
  return rows.filter((r) => r.payload.campaignId === campaignId).map((r) => ({ recipient: r.recipientPersonId, channel: r.channel }));
}

async function mariaLinks() {
  const events = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'person.slack_linked'));
  return events.filter((e) => e.subject.person === maria().id).map((e) => ({ actor: e.actor, payload: e.payload }));
}

async function clickLaunch(campaignId: string) {
  const res = await s.slack.action({ userId: 'U8', actionId: ACTION.campaignLaunch, value: campaignId, view: { id: 'V0LAUNCH', type: 'modal' } });
  expect(res.status).toBe(200);
  return s.fake.waitFor('views.update', (c) => /is launched|:warning:/.test(JSON.stringify(c.body.view)));
}

/** The quarterly schedule's first slot (2026-10-01 09:00 UTC) is the test clock's now. */
async function runScheduledLaunch() {
  await createCampaignTemplate({ ...s.deps, clock: fixedClock('2026-08-15T12:00:00Z') }, { name: 'Quarterly access review', ownerEmail: 'comp@acme.test', actor: 'test' });
  // Built as serve builds it, on the client serve hands its background work.
  const job = scheduledJobs(s.deps, slackUserDirectory(s.server.slack), null).find((j) => j.name === 'review-scheduled-launch')!;
  expect(await job.run()).toBe('launched 1, skipped 0, failed 0');
  const [launched] = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'campaign.launched'));
  return String(launched!.subject.campaign);
}

describe('the Launch button', () => {
  it('links a reviewer found in Slack by email, routes their items to them and queues their DM to that Slack user', async () => {
    const c = await draftCampaign(testDeps(t.db));
    const done = await clickLaunch(c.id);
    expect(JSON.stringify(done.body.view)).toContain('is launched');

    expect(s.fake.callsTo('users.lookupByEmail').map((x) => x.body.email)).toContain('maria@acme.test');
    expect(await mariaLinks()).toEqual([{ actor: `person:${seeded.people.comp!.id}`, payload: { slackUserId: 'U0MARIA', via: 'users.lookupByEmail' } }]);
    // li, sam and gone report to maria: their items are hers, not the campaign owner's.
    expect(await itemsOf(c.id, maria().id)).toHaveLength(4);
    expect(await reviewDmsOf(c.id)).toContainEqual({ recipient: maria().id, channel: 'U0MARIA' });
  });

  it('still launches when the lookup fails: the reviewer stays without Slack and their items go to the owner, as before', async () => {
    s.fake.inject('users.lookupByEmail', { error: 'fatal_error', times: Infinity });
    const c = await draftCampaign(testDeps(t.db));
    const done = await clickLaunch(c.id);
    expect(JSON.stringify(done.body.view)).toContain('is launched');

    expect(s.fake.callsTo('users.lookupByEmail').map((x) => x.body.email)).toContain('maria@acme.test');
    expect(await mariaLinks()).toEqual([]);
    expect(await itemsOf(c.id, maria().id)).toHaveLength(0);
    const owners = await itemsOf(c.id, seeded.people.comp!.id);
    expect(owners.map((i) => i.fallbackReason)).toContain('maria@acme.test has no Slack account');
    expect((await reviewDmsOf(c.id)).map((d) => d.recipient)).not.toContain(maria().id);
  });
});

describe("the create form's preview", () => {
  it('shows a reviewer found in Slack by email as reachable, not as a stand-in case', async () => {
    const values = {
      [BLOCK.campaignName]: { value: { type: 'plain_text_input', value: 'Q4 review' } },
      [BLOCK.campaignDue]: { value: { type: 'datepicker', selected_date: '2026-12-31' } },
      [BLOCK.campaignSystems]: { value: { type: 'multi_static_select', selected_options: [{ value: 'okta' }] } },
    };
    const ok = await s.slack.viewSubmission({ userId: 'U8', callbackId: CALLBACK.campaignCreate, values });
    expect(ok.json()).toMatchObject({ response_action: 'update' });
    const preview = await s.fake.waitFor('views.update', (c) => JSON.stringify(c.body.view).includes(ACTION.campaignLaunch));

    const text = JSON.stringify(preview.body.view);
    expect(text).not.toContain('maria@acme.test has no Slack account');
    expect(await mariaLinks()).toEqual([{ actor: `person:${seeded.people.comp!.id}`, payload: { slackUserId: 'U0MARIA', via: 'users.lookupByEmail' } }]);
  });
});

describe('a scheduled launch, as serve runs it', () => {
  it('links a reviewer found in Slack by email and queues their DM to that Slack user', async () => {
    const campaignId = await runScheduledLaunch();

    expect(await mariaLinks()).toEqual([{ actor: 'job:scheduled-launch', payload: { slackUserId: 'U0MARIA', via: 'users.lookupByEmail' } }]);
    expect(await itemsOf(campaignId, maria().id)).toHaveLength(4);
    expect(await reviewDmsOf(campaignId)).toContainEqual({ recipient: maria().id, channel: 'U0MARIA' });
    // The draft planned to find who to look up was rolled back: one campaign, created once.
    expect(await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'campaign.created'))).toHaveLength(1);
  });

  it('still launches when Slack keeps answering 429: the reviewer stays without Slack, as before', async () => {
    s.fake.inject('users.lookupByEmail', { error: 'ratelimited', retryAfter: 1, times: Infinity });
    const campaignId = await runScheduledLaunch();

    expect(s.fake.callsTo('users.lookupByEmail').map((x) => x.status)).toContain(429);
    expect(await mariaLinks()).toEqual([]);
    expect(await itemsOf(campaignId, maria().id)).toHaveLength(0);
    const owners = await itemsOf(campaignId, seeded.people.comp!.id);
    expect(owners.map((i) => i.fallbackReason)).toContain('maria@acme.test has no Slack account');
  });
});
