import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { accessRequest, campaign, evidenceEvent, outbox, reviewItem, task, type Campaign, type ReviewItem } from '../../src/db/schema/index.js';
import { closeCampaign } from '../../src/domain/reviews/close-campaign.js';
import { delegateItems } from '../../src/domain/reviews/delegate-items.js';
import { findPendingReviewers } from '../../src/domain/reviews/find-pending-reviewers.js';
import { getCampaignStatus } from '../../src/domain/reviews/get-campaign-status.js';
import type { OutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { personValue } from '../../src/slack/views/review-values.js';
import { launchedCampaign } from '../factories/campaign.js';
import { reviewOrg, seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { group, member, type MemoryOrg } from '../fakes/memory-connector.js';
import type { TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { until } from '../helpers/review-fixture.js';
import { modalViewErrors } from '../helpers/slack-blocks.js';
import type { TestServer } from '../helpers/serve.js';
import { serverForFile } from '../helpers/server-for-file.js';
import { startTestOutboxWorker } from '../helpers/test-outbox-worker.js';

/**
 * `--second-level owner`: an approved privileged item goes to its resource's owner, in their own
 * review DM, through signed clicks against the fake Slack. The org adds to the review org:
 *
 *   AWS Admins (g2, privileged) owned by li: held by ceo (reviewed by comp) and li (by maria)
 *   Prod DB Admins (g3, privileged) owned by ann: held by li (by maria) and ann (by li)
 *   Billing Admins (g4, privileged) owned by maria: held by li (by maria) and maria (by ceo)
 */
function secondLevelOrg(): MemoryOrg {
  const org = reviewOrg();
  org.resources = org.resources.map((r) => (r.externalId === 'g2' ? { ...r, ownerEmail: 'li@acme.test' } : r));
  org.resources.push({ ...group('g3', 'Prod DB Admins', true), ownerEmail: 'ann@acme.test' }, { ...group('g4', 'Billing Admins', true), ownerEmail: 'maria@acme.test' });
  org.grants.push(member('u3', 'g3'), member('u9', 'g3'), member('u3', 'g4'), member('u2', 'g4'));
  return org;
}

const SLACK: Record<string, string> = { ceo: 'U1', maria: 'U2', li: 'U3', comp: 'U8', ann: 'U9' };

let t: TestDatabase;
let s: TestServer;
let worker: OutboxWorker;
let org: Seeded;
let c: Campaign;
serverForFile((started) => ({ t, s } = started));

beforeAll(async () => {
  const deps = testDeps(t.db);
  org = await seedReviewDirectory(deps, secondLevelOrg());
  c = await launchedCampaign(deps, { secondLevel: 'owner' });
  worker = startTestOutboxWorker(s);
  await settled();
}, 60_000);
afterAll(async () => {
  await worker?.stop();
});

const id = (name: string) => org.people[name]!.id;
const dm = (userId: string) => s.fake.state.messages.get(`D${userId.slice(1)}`) ?? [];

/** Every queued message delivered (or given up on): the DMs now show current data. */
async function settled() {
  await until(async () => (await t.db.select().from(outbox).where(eq(outbox.status, 'pending'))).length === 0 && (await t.db.select().from(outbox).where(eq(outbox.status, 'sending'))).length === 0);
}

async function items(accountExt: string, resourceExt: string): Promise<ReviewItem[]> {
  const grantId = await org.grantOf(accountExt, resourceExt);
  return t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.grantId, grantId))).orderBy(reviewItem.level);
}
const level = async (accountExt: string, resourceExt: string, n: 1 | 2) => (await items(accountExt, resourceExt)).find((it) => it.level === n);

async function click(userId: string, actionId: string, value: string) {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const res = await s.slack.action({ userId, actionId, value, channelId: `D${userId.slice(1)}`, messageTs: dm(userId)[0]?.ts, responseUrl: s.fake.responseUrl(key) });
  expect(res.status).toBe(200);
  return key;
}
const answer = async (key: string) => ((await s.fake.waitFor('response_url', (call) => call.key === key)).body as { text: string }).text;

async function revoke(userId: string, itemId: string, reason: string) {
  await click(userId, ACTION.reviewRevoke, itemId);
  const opened = await s.fake.waitFor('views.open');
  const view = opened.body.view as { private_metadata: string };
  const res = await s.slack.viewSubmission({
    userId,
    callbackId: CALLBACK.revokeReason,
    privateMetadata: view.private_metadata,
    values: { [BLOCK.revokeReason]: { value: { type: 'plain_text_input', value: reason } }, [BLOCK.revokeTiming]: { value: { type: 'radio_buttons', selected_option: { value: 'now' } } } },
  });
  expect(res.status).toBe(200);
}

const secondLevelEvents = async () => t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'review.second_level'));

describe('a privileged approval at the first level', () => {
  it("creates the resource owner's level-2 item, which reaches them in their review DM with Approve and Revoke", async () => {
    const first = (await level('u1', 'g2', 1))!; // ceo's AWS Admins, reviewed by comp (ceo has no manager)
    expect(first.reviewerId).toBe(id('comp'));
    await click('U8', ACTION.reviewApprove, first.id);
    // Committed with the approval, before Slack's ack.
    const second = (await level('u1', 'g2', 2))!;
    expect(second).toMatchObject({ reviewerId: id('li'), decision: 'pending', fallbackReason: null, snapshot: first.snapshot });
    expect(second.hints?.firstReview).toMatchObject({ itemId: first.id, decidedById: id('comp') });
    const [event] = (await secondLevelEvents()).filter((e) => e.subject.item === second.id);
    expect(event).toMatchObject({ actor: `person:${id('comp')}`, payload: { firstItemId: first.id, reviewerId: id('li'), reviewerEmail: 'li@acme.test', level: 2 } });

    // li already had a review DM (ann's items): it is refreshed with the new item in it.
    const updated = await s.fake.waitFor('chat.update', (call) => call.body.channel === 'D3' && JSON.stringify(call.body.blocks).includes('Second review: approved by'));
    const text = JSON.stringify(updated.body.blocks);
    expect(text).toContain(`"value":"${second.id}"`);
    expect(text).toMatch(/Second review: approved by comp on <!date\^\d+\^\{date_short\}\|/);

    // The owner approves: final, and no third level.
    await click('U3', ACTION.reviewApprove, second.id);
    expect((await level('u1', 'g2', 2))!).toMatchObject({ decision: 'approved', decidedBy: id('li') });
    expect(await items('u1', 'g2')).toHaveLength(2);
  });

  it('goes to a new review DM for an owner who had nothing to review yet', async () => {
    const first = (await level('u3', 'g3', 1))!; // li's Prod DB Admins, reviewed by maria
    await click('U2', ACTION.reviewApprove, first.id);
    const second = (await level('u3', 'g3', 2))!;
    expect(second).toMatchObject({ reviewerId: id('ann'), fallbackReason: null });
    const posted = await s.fake.waitFor('chat.postMessage', (call) => call.body.channel === 'U9' || call.body.channel === 'D9');
    const text = JSON.stringify(posted.body.blocks);
    expect(text).toContain('Second review: approved by maria');
    expect(text).toContain(`"action_id":"${ACTION.reviewApprove}","value":"${second.id}"`);
    expect(text).toContain(`"action_id":"${ACTION.reviewRevoke}","value":"${second.id}"`);
  });

  it('never goes to the person whose access it is: the campaign owner stands in, with the reason listed', async () => {
    const first = (await level('u3', 'g2', 1))!; // li's own AWS Admins; li owns AWS Admins
    expect(first.reviewerId).toBe(id('maria'));
    await click('U2', ACTION.reviewApprove, first.id);
    expect((await level('u3', 'g2', 2))!).toMatchObject({ reviewerId: id('comp'), fallbackReason: 'li@acme.test would review their own access' });
  });

  it('never goes to the first reviewer, even on a double click: one level-2 item, and the second click is told', async () => {
    const first = (await level('u3', 'g4', 1))!; // li's Billing Admins, reviewed by maria, who owns Billing Admins
    const [a, b] = await Promise.all([click('U2', ACTION.reviewApprove, first.id), click('U2', ACTION.reviewApprove, first.id)]);
    const seconds = (await items('u3', 'g4')).filter((it) => it.level === 2);
    expect(seconds).toHaveLength(1);
    expect(seconds[0]).toMatchObject({ reviewerId: id('comp'), fallbackReason: 'maria@acme.test made the first decision' });
    expect((await secondLevelEvents()).filter((e) => e.subject.item === seconds[0]!.id)).toHaveLength(1);
    const told = await Promise.race([answer(a), answer(b)]);
    expect(told).toMatch(/^You already approved this item on /);
    const decided = (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'review.decided'))).filter((e) => e.subject.item === first.id);
    expect(decided).toHaveLength(1);
  });

  it('creates nothing for access that is not privileged', async () => {
    const first = (await level('u4', 'g1', 1))!; // sam's Engineering, reviewed by maria
    await click('U2', ACTION.reviewApprove, first.id);
    expect((await level('u4', 'g1', 1))!.decision).toBe('approved');
    expect(await items('u4', 'g1')).toHaveLength(1);
  });

  it('creates nothing on a revoke at the first level', async () => {
    const first = (await level('u6', 'g2', 1))!; // svc-backup's AWS Admins
    const reviewer = Object.entries(org.people).find(([, p]) => p.id === first.reviewerId)![0];
    await revoke(SLACK[reviewer]!, first.id, 'nobody uses this service account');
    await until(async () => (await level('u6', 'g2', 1))!.decision === 'revoked');
    expect(await items('u6', 'g2')).toHaveLength(1);
  });
});

describe('Approve all for <name>', () => {
  it('creates the level-2 items of the privileged items it approves', async () => {
    const key = await click('U3', ACTION.reviewApprovePerson, personValue(c.id, id('ann')));
    expect(await answer(key)).toMatch(/^Approved/);
    expect((await level('u9', 'g1', 1))!.decision).toBe('approved');
    expect(await items('u9', 'g1')).toHaveLength(1);
    const first = (await level('u9', 'g3', 1))!;
    expect(first.decision).toBe('approved');
    // ann owns Prod DB Admins but it is her own access: the campaign owner stands in.
    expect((await level('u9', 'g3', 2))!).toMatchObject({ reviewerId: id('comp'), fallbackReason: 'ann@acme.test would review their own access', hints: { firstReview: { itemId: first.id, decidedById: id('li') } } });
  });
});

describe('Approve and Approve all remaining at once', () => {
  it('approve the item once and create one level-2 item', async () => {
    const first = (await level('u2', 'g4', 1))!; // maria's Billing Admins, reviewed by ceo
    expect(first.reviewerId).toBe(id('ceo'));
    await Promise.all([click('U1', ACTION.reviewApprove, first.id), click('U1', ACTION.reviewApproveAll, c.id)]);
    const all = await items('u2', 'g4');
    expect(all.map((it) => [it.level, it.decision])).toEqual([[1, 'approved'], [2, 'pending']]);
    expect(all[1]).toMatchObject({ reviewerId: id('comp'), fallbackReason: 'maria@acme.test would review their own access' });
    const decided = (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'review.decided'))).filter((e) => e.subject.item === first.id);
    expect(decided).toHaveLength(1);
    expect((await secondLevelEvents()).filter((e) => e.subject.item === all[1]!.id)).toHaveLength(1);
  });
});

describe('a revoke at the second level', () => {
  it('revokes the access: a removal is requested and planned, as for any revoke', async () => {
    const second = (await level('u3', 'g3', 2))!; // ann reviews li's Prod DB Admins
    await revoke('U9', second.id, 'li left the database team');
    const decided = await until(async () => ((r) => (r?.requestId ? r : undefined))(await level('u3', 'g3', 2)));
    expect(decided).toMatchObject({ decision: 'revoked', decidedBy: id('ann'), reason: 'li left the database team' });
    const [request] = await t.db.select().from(accessRequest).where(eq(accessRequest.id, decided.requestId!));
    expect(request).toMatchObject({ kind: 'revoke', status: expect.any(String), origin: `review_item:${second.id}`, grantId: await org.grantOf('u3', 'g3') });
    expect(await until(async () => (await t.db.select().from(task).where(eq(task.requestId, request!.id)))[0])).toMatchObject({ action: 'remove_grant' });
    // The level-1 approval stands as recorded: each decision is its own row.
    expect((await level('u3', 'g3', 1))!.decision).toBe('approved');
  });
});

describe('a level-2 item handed back to its first approver', () => {
  it('cannot be decided by them, one by one or with Approve all', async () => {
    const second = (await level('u3', 'g4', 2))!; // maria approved li's Billing Admins at the first level
    await delegateItems(s.deps, { campaignId: c.id, actorPersonId: id('comp'), toPersonId: id('maria'), itemIds: [second.id], reason: 'maria owns billing' });
    expect(await answer(await click('U2', ACTION.reviewApprove, second.id))).toContain('You approved this access at the first level');
    await answer(await click('U2', ACTION.reviewApproveAll, c.id));
    expect((await level('u3', 'g4', 2))!).toMatchObject({ decision: 'pending', reviewerId: id('maria') });
  });
});

describe('campaign status and close', () => {
  it('count level-2 items, list their fallbacks, and handle the undecided ones at close', async () => {
    const status = await getCampaignStatus(t.db, c.id);
    expect(status.secondLevel).toEqual({ rule: 'owner', items: 6, pending: 4, approved: 1, revoked: 1, kept: 0 });
    const all = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, c.id));
    expect(status.items).toBe(all.length);
    expect(status.pending).toBe(all.filter((it) => it.decision === 'pending').length);
    const comp = status.byReviewer.find((r) => r.email === 'comp@acme.test')!;
    const compLevel2 = all.filter((it) => it.reviewerId === id('comp') && it.level === 2 && it.decision === 'pending');
    expect(compLevel2).toHaveLength(3);
    expect(comp.pending).toBe(all.filter((it) => it.reviewerId === id('comp') && it.decision === 'pending').length);
    // Reminders and escalations go to whoever still has something pending, level-2 items included.
    expect((await findPendingReviewers(t.db, c.id)).find((r) => r.reviewerId === id('comp'))).toMatchObject({ pending: comp.pending });
    expect(status.fallbacks.filter((f) => f.level === 2).map((f) => f.reason).sort()).toEqual([
      'ann@acme.test would review their own access',
      'li@acme.test would review their own access',
      'maria@acme.test made the first decision',
      'maria@acme.test would review their own access',
    ]);

    const closed = await closeCampaign(s.deps, { campaignId: c.id, actor: 'test' });
    expect(closed.undecided).toBe(all.filter((it) => it.decision === 'pending').length);
    expect((await t.db.select().from(campaign).where(eq(campaign.id, c.id)))[0]!.status).toBe('closed');
  });
});

describe('the campaign create modal', () => {
  it('offers the second review, and a submission with it checked creates a second-level campaign', async () => {
    const key = `U8-${Math.random().toString(36).slice(2)}`;
    expect((await s.slack.command({ user_id: 'U8', text: 'campaign', response_url: s.fake.responseUrl(key) })).status).toBe(200);
    const opened = await s.fake.waitFor('views.open');
    expect(modalViewErrors(opened.body.view)).toEqual([]);
    const block = (opened.body.view as { blocks: { block_id?: string }[] }).blocks.find((b) => b.block_id === BLOCK.campaignSecondLevel);
    expect(JSON.stringify(block)).toContain('Send approved privileged access to the resource owner');

    const form = (name: string, secondLevel: string[]) => ({
      [BLOCK.campaignName]: { value: { type: 'plain_text_input', value: name } },
      [BLOCK.campaignDue]: { value: { type: 'datepicker', selected_date: '2026-12-31' } },
      [BLOCK.campaignPrivileged]: { value: { type: 'checkboxes', selected_options: [] } },
      [BLOCK.campaignDepartments]: { value: { type: 'plain_text_input', value: '' } },
      [BLOCK.campaignReviewerRule]: { value: { type: 'radio_buttons', selected_option: { value: 'manager' } } },
      [BLOCK.campaignNonResponse]: { value: { type: 'radio_buttons', selected_option: { value: 'flag' } } },
      [BLOCK.campaignSecondLevel]: { value: { type: 'checkboxes', selected_options: secondLevel.map((value) => ({ value })) } },
    });
    for (const [name, chosen, expected] of [['Two-level review', ['owner'], 'owner'], ['One-level review', [], null]] as const) {
      const res = await s.slack.viewSubmission({ userId: 'U8', callbackId: CALLBACK.campaignCreate, values: form(name, [...chosen]) });
      expect(res.json()).toMatchObject({ response_action: 'update' });
      const [draft] = await until(async () => ((rows) => (rows.length ? rows : undefined))(await t.db.select().from(campaign).where(eq(campaign.name, name))));
      expect(draft).toMatchObject({ status: 'draft', secondLevel: expected });
      const [created] = (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'campaign.created'))).filter((e) => e.subject.campaign === draft!.id);
      expect(created!.payload).toMatchObject({ secondLevel: expected });
    }
  });
});
