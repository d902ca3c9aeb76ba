import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { accessRequest, reviewItem, type Campaign } from '../../src/db/schema/index.js';
import { approveAllRemaining } from '../../src/domain/reviews/approve-all-remaining.js';
import { closeCampaign } from '../../src/domain/reviews/close-campaign.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import { delegateItems } from '../../src/domain/reviews/delegate-items.js';
import { getReviewerProgress } from '../../src/domain/reviews/get-reviewer-progress.js';
import { planReviewRemovals } from '../../src/domain/reviews/plan-review-removals.js';
import type { OutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { launchedCampaign } from '../factories/campaign.js';
import { reviewOrg, seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { group, member } from '../fakes/memory-connector.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { homeViewErrors, messageBlockErrors } from '../helpers/slack-blocks.js';
import { appHomeOpened } from '../helpers/slack-request.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';
import { startTestOutboxWorker } from '../helpers/test-outbox-worker.js';

/**
 * A kept exception is a decision of its own wherever counts are shown: App Home's campaign
 * progress, the reviewer's progress, the close summary in the compliance channel. Closing with
 * the `revoke` non-response rule leaves it kept, with no removal. The campaign has a second
 * level (Billing Admins, privileged, owned by ann) for the Approve all checks.
 *
 * maria decides: li's Engineering approved, sam's Engineering revoked, li's AWS Admins kept;
 * gone's Engineering and li's Billing Admins stay pending until the close.
 */
const CHANNEL = 'C0COMPLY';
let t: TestDatabase;
let s: TestServer;
let worker: OutboxWorker;
let org: Seeded;
let c: Campaign;

beforeAll(async () => {
  t = await createTestDatabase();
  s = await startTestServer(t, { env: { COMPLIANCE_CHANNEL: CHANNEL } });
  const deps = testDeps(t.db);
  const base = reviewOrg();
  base.resources.push({ ...group('g4', 'Billing Admins', true), ownerEmail: 'ann@acme.test' });
  base.grants.push(member('u3', 'g4'), member('u4', 'g4'));
  org = await seedReviewDirectory(deps, base);
  c = await launchedCampaign(deps, { nonResponse: 'revoke', secondLevel: 'owner' });
  worker = startTestOutboxWorker(s);
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await s?.close();
  await t?.drop();
});

const id = (name: string) => org.people[name]!.id;
async function items(accountExt: string, resourceExt: string) {
  const grantId = await org.grantOf(accountExt, resourceExt);
  return t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.grantId, grantId))).orderBy(reviewItem.level);
}
const first = async (accountExt: string, resourceExt: string) => (await items(accountExt, resourceExt))[0]!;

async function openHome(userId: string) {
  s.fake.reset();
  expect((await s.slack.event(appHomeOpened(userId))).status).toBe(200);
  const call = await s.fake.waitFor('views.publish', (x) => x.body.user_id === userId);
  const view = call.body.view as { type: string; blocks: unknown[] };
  expect(homeViewErrors(view)).toEqual([]);
  return JSON.stringify(view.blocks);
}

describe('kept exceptions in the counts', () => {
  it('decides the items, with the kept one decided for the reviewer and on App Home', async () => {
    const deps = s.deps;
    await decideItem(deps, { itemId: (await first('u3', 'g1')).id, decision: 'approved', actorPersonId: id('maria') });
    await decideItem(deps, { itemId: (await first('u4', 'g1')).id, decision: 'revoked', reason: 'moved to sales', actorPersonId: id('maria') });
    await decideItem(deps, { itemId: (await first('u3', 'g2')).id, decision: 'kept', exceptionControl: 'Weekly sign-in review', exceptionEndsAt: new Date('2027-03-31T23:59:59Z'), actorPersonId: id('maria') });

    const progress = await getReviewerProgress(t.db, c.id, id('maria'));
    const mine = await t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.reviewerId, id('maria'))));
    expect(progress).toMatchObject({ pending: mine.filter((i) => i.decision === 'pending').length, decided: 3 });
    expect(progress.pending + progress.decided).toBe(mine.length);

    // comp is the admin: App Home shows them every open campaign's progress.
    const home = await openHome('U8');
    const all = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, c.id));
    expect(home).toContain(`3 of ${all.length} items decided`);
    expect(home).toContain('1 approved · 1 revoked · 1 kept as an exception · ');
  });

  it('lets the first approver sweep nothing at the second level, and the owner sweep their level-2 items', async () => {
    // maria approves li's Billing Admins one by one: the level-2 item goes to ann (the owner).
    await decideItem(s.deps, { itemId: (await first('u3', 'g4')).id, decision: 'approved', actorPersonId: id('maria') });
    const [, second] = await items('u3', 'g4');
    expect(second).toMatchObject({ level: 2, reviewerId: id('ann'), decision: 'pending' });
    // Handed to maria, it is hers to hold but not to decide: Approve all for li leaves it pending.
    await delegateItems(s.deps, { campaignId: c.id, actorPersonId: id('ann'), toPersonId: id('maria'), itemIds: [second!.id], reason: 'maria knows billing' });
    const swept = await approveAllRemaining(s.deps, { campaignId: c.id, actorPersonId: id('maria'), subjectPersonId: id('li') });
    expect(swept.approved).toBe(0);
    expect((await items('u3', 'g4'))[1]).toMatchObject({ decision: 'pending', reviewerId: id('maria') });
    // Back with ann, her Approve all remaining decides it, and starts no third level.
    await delegateItems(s.deps, { campaignId: c.id, actorPersonId: id('maria'), toPersonId: id('ann'), itemIds: [second!.id], reason: 'back to the owner' });
    const owner = await approveAllRemaining(s.deps, { campaignId: c.id, actorPersonId: id('ann') });
    expect(owner.approved).toBeGreaterThanOrEqual(1);
    const after = await items('u3', 'g4');
    expect(after.map((i) => [i.level, i.decision, i.decidedBy])).toEqual([
      [1, 'approved', id('maria')],
      [2, 'approved', id('ann')],
    ]);
  });

  it('closes with the revoke rule: the kept item stays kept, and the channel summary counts it', async () => {
    const kept = await first('u3', 'g2');
    const before = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, c.id));
    const pending = before.filter((i) => i.decision === 'pending').length;
    const approved = before.filter((i) => i.decision === 'approved').length;
    s.fake.reset();
    const closed = await closeCampaign(s.deps, { campaignId: c.id, actor: 'test' });
    expect(closed).toMatchObject({ items: before.length, approved, revoked: pending + 1, kept: 1, autoRevoked: pending, undecided: 0 });

    expect((await first('u3', 'g2'))).toMatchObject({ decision: 'kept', requestId: null, decidedBy: id('maria'), exceptionControl: 'Weekly sign-in review' });
    expect(await t.db.select().from(accessRequest).where(eq(accessRequest.origin, `review_item:${kept.id}`))).toEqual([]);
    await planReviewRemovals(s.deps);
    expect(await t.db.select().from(accessRequest).where(eq(accessRequest.origin, `review_item:${kept.id}`))).toEqual([]);

    const post = await s.fake.waitFor('chat.postMessage', (x) => x.body.channel === CHANNEL, 8000);
    const message = post.body as { text: string; blocks: { type: string; fields?: { text: string }[] }[] };
    expect(messageBlockErrors(message.blocks)).toEqual([]);
    expect(message.text).toBe(`Access review closed “Q4 2026 access review”: ${approved} approved, ${pending + 1} revoked, 1 kept as an exception, 0 undecided`);
    const fields = message.blocks.find((b) => b.fields)!.fields!.map((f) => f.text);
    expect(fields).toEqual([
      `*Items*\n${before.length}`,
      `*Approved*\n${approved}`,
      `*Revoked*\n${pending + 1}`,
      '*Kept as exceptions*\n1',
      '*Undecided*\n0',
      expect.stringMatching(/^\*Reviewers\*\n\d+$/),
      expect.stringMatching(/^\*Stand-in reviewers\*\n\d+$/),
    ]);
  });
});
