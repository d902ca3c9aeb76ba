import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createOktaConnector } from '../../src/connectors/okta/index.js';
import { accessRequest, campaign, evidenceEvent, outbox, person, personRole, resource, reviewItem, task, type ReviewItem } from '../../src/db/schema/index.js';
import { syncSource } from '../../src/domain/directory/sync-source.js';
import { closeCampaign } from '../../src/domain/reviews/close-campaign.js';
import { findOpenCampaigns } from '../../src/domain/reviews/find-open-campaigns.js';
import { currentFindings } from '../../src/domain/evidence/findings/current-findings.js';
import type { OutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { readerDay } from '../../src/slack/views/review-time.js';
import { sampleOktaOrg, startFakeOkta, type FakeOkta } from '../fakes/okta/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/deps.js';
import { until } from '../helpers/review-fixture.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';
import { startTestOutboxWorker } from '../helpers/test-outbox-worker.js';

/**
 * Access granted outside the process (issue 14): a grant that appears in Okta between two
 * syncs, with nothing behind it, reaches its decider as a DM within the next sync, through the
 * real Okta connector, sync, outbox worker and Slack listeners.
 */
const TOKEN = 'ssws-drift-token';
const COMPLIANCE = 'C0COMPLIANCE';
const sample = sampleOktaOrg();
const { org, users } = sample;
const design = org.addGroup({ name: 'Design' });
const figma = org.addApp({ label: 'Figma', name: 'figma' });

let t: TestDatabase;
let s: TestServer;
let okta: FakeOkta;
let worker: OutboxWorker;

const sync = () => syncSource(s.deps, 'okta', async () => createOktaConnector({ orgUrl: okta.url, apiToken: TOKEN }), { triggeredBy: 'test' });
const personId = async (email: string) => (await t.db.select({ id: person.id }).from(person).where(eq(person.email, email)))[0]!.id;
const driftItems = () =>
  t.db.select({ item: reviewItem }).from(reviewItem).innerJoin(campaign, eq(campaign.id, reviewItem.campaignId)).where(eq(campaign.kind, 'drift')).then((r) => r.map((x) => x.item));
const itemFor = async (email: string, resourceName: string): Promise<ReviewItem | undefined> =>
  (await driftItems()).find((i) => i.snapshot.personEmail === email && i.snapshot.resourceName === resourceName);
const posts = (channel: string) => s.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
const click = async (userId: string, actionId: string, value: string) => {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const res = await s.slack.action({ userId, actionId, value, channelId: `D${userId.slice(1)}`, responseUrl: s.fake.responseUrl(key) });
  expect(res.status).toBe(200);
  return key;
};
const answer = async (key: string) => ((await s.fake.waitFor('response_url', (call) => call.key === key)).body as { text: string }).text;
const eventsAbout = (action: string, itemId: string) =>
  t.db.select().from(evidenceEvent).where(and(eq(evidenceEvent.action, action), sql`${evidenceEvent.subject}->>'item' = ${itemId}`));

beforeAll(async () => {
  t = await createTestDatabase();
  okta = await startFakeOkta({ apiToken: TOKEN, org });
  s = await startTestServer(t, { env: { COMPLIANCE_CHANNEL: COMPLIANCE } });
  worker = startTestOutboxWorker(s);
});
afterAll(async () => {
  await worker?.stop();
  await s?.close();
  await okta?.close();
  await t?.drop();
});

describe('unapproved access', () => {
  it('the baseline sync asks nobody anything', async () => {
    expect((await sync()).status).toBe('succeeded');
    // Slack users and an admin (compliance, the drift campaign's owner), as `serve` and `roles` would set them.
    for (const [email, slack] of [['alice@example.com', 'U1'], ['bob@example.com', 'U2'], ['carol@example.com', 'U3']] as const) {
      await t.db.update(person).set({ slackUserId: slack }).where(eq(person.email, email));
    }
    await t.db.insert(personRole).values({ personId: await personId('alice@example.com'), role: 'admin', grantedBy: 'test' });
    expect(await driftItems()).toHaveLength(0);
    expect(await t.db.select().from(outbox).where(sql`${outbox.kind} like 'drift.%'`)).toHaveLength(0);
    expect(await t.db.select().from(campaign)).toHaveLength(0);
  });

  it('a grant added in Okta between syncs reaches the decider as a DM within the next sync, with the exact words and buttons', async () => {
    // Figma for Bob comes with an approved request; Design for Bob and Carol with nothing behind it.
    const bobId = await personId('bob@example.com');
    const [figmaRow] = await t.db.select().from(resource).where(eq(resource.name, 'Figma'));
    await t.db.insert(accessRequest).values({ kind: 'grant', status: 'done', subjectPersonId: bobId, resourceId: figmaRow!.id, requestedBy: 'person:test', createdAt: new Date() });
    // Carol owns Design: she decides Bob's; her own goes to her manager.
    await t.db.update(resource).set({ ownerId: await personId('carol@example.com') }).where(eq(resource.name, 'Design'));
    org.assignUserToApp(figma.id, users.bob.id);
    org.addMember(design.id, users.bob.id);
    org.addMember(design.id, users.carol.id);

    const report = await sync();
    expect(report.status).toBe('succeeded');
    // Queued within the sync, before anything else runs.
    const queued = await t.db.select().from(outbox).where(eq(outbox.kind, 'drift.notice'));
    expect(queued).toHaveLength(2);

    const items = await driftItems();
    expect(items.map((i) => `${i.snapshot.personEmail} ${i.snapshot.resourceName}`).sort()).toEqual(['bob@example.com Design', 'carol@example.com Design']);
    const reviewerOf = async (email: string) => (await itemFor(email, 'Design'))!.reviewerId;
    expect(await reviewerOf('bob@example.com')).toBe(await personId('carol@example.com'));
    expect(await reviewerOf('carol@example.com')).toBe(await personId('alice@example.com'));

    const bobItem = (await itemFor('bob@example.com', 'Design'))!;
    const day = readerDay(new Date(bobItem.hints!.drift!.seenAt), 'UTC');
    const dm = await until(() => posts('U3').find((c) => String(c.body.text).startsWith('Bob Example got')));
    await until(() => posts('U1').find((c) => c.body.text === `Carol Example got Design in okta on ${day} without a request`));
    expect(dm.body.text).toBe(`Bob Example got Design in okta on ${day} without a request`);
    const buttons = [...JSON.stringify(dm.body.blocks).matchAll(/"text":"(Approve|Revoke)","emoji":true},"action_id":"([^"]+)","value":"([^"]+)"/g)].map((m) => [m[1], m[2], m[3]]);
    expect(buttons).toEqual([
      ['Approve', ACTION.reviewApprove, bobItem.id],
      ['Revoke', ACTION.reviewRevoke, bobItem.id],
    ]);
    expect(await eventsAbout('access.unapproved', bobItem.id)).toHaveLength(1);
  });

  it('a grant that came through an approved request produces no DM', async () => {
    expect(await itemFor('bob@example.com', 'Figma')).toBeUndefined();
    expect(s.fake.callsTo('chat.postMessage').filter((c) => String(c.body.text).includes('Figma'))).toHaveLength(0);
  });

  it('refuses the person themselves, and logs it', async () => {
    const bobItem = (await itemFor('bob@example.com', 'Design'))!;
    expect(await answer(await click('U2', ACTION.reviewApprove, bobItem.id))).toContain("You can't decide on your own access");
    expect((await eventsAbout('security.refused', bobItem.id))[0]).toMatchObject({ payload: { attempted: 'review.approve' } });
    expect((await itemFor('bob@example.com', 'Design'))!.decision).toBe('pending');
  });

  it('Approve records an approval after the fact and updates the message', async () => {
    const bobItem = (await itemFor('bob@example.com', 'Design'))!;
    // Someone other than the decider (Alice) is refused; the owner (Carol) approves.
    expect(await answer(await click('U1', ACTION.reviewApprove, bobItem.id))).toContain('Only the reviewer this item is assigned to');
    await click('U3', ACTION.reviewApprove, bobItem.id);
    expect((await itemFor('bob@example.com', 'Design'))!).toMatchObject({ decision: 'approved', decidedBy: await personId('carol@example.com') });
    const [decided] = await eventsAbout('review.decided', bobItem.id);
    expect(decided!.payload).toMatchObject({ decision: 'approved', afterTheFact: true, grantId: bobItem.grantId });
    await s.fake.waitFor('chat.update', (c) => JSON.stringify(c.body.blocks).includes('Approved after the fact by'));
    // A second click is told who decided first, and nothing more is recorded.
    expect(await answer(await click('U3', ACTION.reviewApprove, bobItem.id))).toMatch(/^You already approved this item on /);
    expect(await eventsAbout('review.decided', bobItem.id)).toHaveLength(1);
  });

  it('Revoke creates the removal at once, even when "at close" was picked (the campaign never closes)', async () => {
    const carolItem = (await itemFor('carol@example.com', 'Design'))!;
    await click('U1', ACTION.reviewRevoke, carolItem.id);
    const opened = await s.fake.waitFor('views.open');
    const view = opened.body.view as { private_metadata: string };
    const ok = await s.slack.viewSubmission({
      userId: 'U1',
      callbackId: CALLBACK.revokeReason,
      privateMetadata: view.private_metadata,
      values: { [BLOCK.revokeReason]: { value: { type: 'plain_text_input', value: 'not on the design team' } }, [BLOCK.revokeTiming]: { value: { type: 'radio_buttons', selected_option: { value: 'close' } } } },
    });
    expect(ok.status).toBe(200);
    const decided = await until(async () => ((i) => (i?.requestId ? i : undefined))(await itemFor('carol@example.com', 'Design')));
    expect(decided).toMatchObject({ decision: 'revoked', reason: 'not on the design team', removalTiming: 'now' });
    const [request] = await t.db.select().from(accessRequest).where(eq(accessRequest.id, decided.requestId!));
    expect(request).toMatchObject({ kind: 'revoke', grantId: carolItem.grantId, origin: `review_item:${carolItem.id}` });
    expect(await until(async () => (await t.db.select().from(task).where(eq(task.requestId, request!.id)))[0])).toMatchObject({ action: 'remove_grant' });
    await s.fake.waitFor('chat.update', (c) => JSON.stringify(c.body.blocks).includes('Revoked by'));
    const [event] = await eventsAbout('review.decided', carolItem.id);
    expect(event!.payload).toMatchObject({ decision: 'revoked', removalTiming: 'now', afterTheFact: true });
  });

  it('a privileged grant is flagged to compliance, and left undecided it is a finding after DRIFT_DECISION_DAYS', async () => {
    org.addMember(sample.groups.helpdesk.id, users.bob.id);
    expect((await sync()).status).toBe('succeeded');
    const pending = (await driftItems()).filter((i) => i.decision === 'pending');
    // The Helpdesk group itself, and the admin role it carries (privileged).
    expect(pending.every((i) => i.snapshot.personEmail === 'bob@example.com')).toBe(true);
    const privileged = pending.filter((i) => i.snapshot.privileged);
    expect(privileged.length).toBeGreaterThan(0);
    await until(() => posts(COMPLIANCE).find((c) => String(c.body.text).startsWith('Privileged access: Bob Example got')));

    const seenAt = new Date(privileged[0]!.hints!.drift!.seenAt);
    const findingsAt = async (days: number, config: Record<string, string>) =>
      (await currentFindings({ db: t.db, clock: { now: () => new Date(seenAt.getTime() + days * 86_400_000) }, config: testConfig(config) })).findings.filter(
        (f) => f.type === 'unapproved_access',
      );
    expect(await findingsAt(6, {})).toHaveLength(0);
    const late = await findingsAt(8, {});
    expect(late.map((f) => f.evidence[0]).sort()).toEqual(pending.map((i) => `item:${i.id}`).sort());
    const severity = new Map(pending.map((i) => [`item:${i.id}`, i.snapshot.privileged ? 'high' : 'medium']));
    expect(late.every((f) => f.severity === severity.get(f.evidence[0]!) && f.subject === 'bob@example.com')).toBe(true);
    expect(await findingsAt(0, { DRIFT_DECISION_DAYS: '0' })).toHaveLength(pending.length);
    // Decided items (the approval and the revocation above) are never findings.
    expect(late.some((f) => f.detail.includes('Design'))).toBe(false);
  });

  it('what no owner or manager can decide goes to compliance, never to the person: the admin’s own new access goes to the compliance role', async () => {
    // Alice is the admin (the campaign's owner) and has no manager; Notion has no owner.
    const carolId = await personId('carol@example.com');
    await t.db.insert(personRole).values({ personId: carolId, role: 'compliance', grantedBy: 'test' });
    const notion = org.addApp({ label: 'Notion', name: 'notion' });
    org.assignUserToApp(notion.id, users.alice.id);
    expect((await sync()).status).toBe('succeeded');
    const item = await itemFor('alice@example.com', 'Notion');
    expect(item).toMatchObject({ reviewerId: carolId, fallbackReason: 'no resource owner and no manager: compliance decides' });
    await s.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'U3' && String((c.body as { text?: string }).text).includes('Notion'));
    expect(posts('U1').some((c) => String((c.body as { text?: string }).text).includes('Notion')), 'Alice was asked about her own access').toBe(false);
  });

  it('the standing campaign is never closed, and the due-date jobs do not see it', async () => {
    const [drift] = await t.db.select().from(campaign).where(eq(campaign.kind, 'drift'));
    expect(drift).toMatchObject({ name: 'Unapproved access', status: 'launched' });
    await expect(closeCampaign(s.deps, { campaignId: drift!.id, actor: 'test' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('never closed') });
    expect((await findOpenCampaigns(t.db)).map((c) => c.id)).not.toContain(drift!.id);
    expect(await t.db.select().from(campaign)).toHaveLength(1);
  });
});
