import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { OVERLAP, createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { launchedCampaign } from '../factories/campaign.js';
import { accessRequest, evidenceEvent, outbox, reviewItem, type Campaign, type ReviewItem } from '../../src/db/schema/index.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import { approveAllRemaining } from '../../src/domain/reviews/approve-all-remaining.js';
import { delegateItems } from '../../src/domain/reviews/delegate-items.js';
import { findReviewerItems } from '../../src/domain/reviews/find-reviewer-items.js';
import { closeCampaign } from '../../src/domain/reviews/close-campaign.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let org: Seeded;
let c: Campaign;

beforeEach(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  org = await seedReviewDirectory(deps);
  c = await launchedCampaign(deps);
  deps.clock.advance(60_000);
});
afterEach(async () => {
  await t.drop();
});

const id = (name: string) => org.people[name]!.id;
const events = async (action: string) => t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, action));
async function itemOf(accountExt: string, resourceExt: string): Promise<ReviewItem> {
  const grantId = await org.grantOf(accountExt, resourceExt);
  const [row] = await t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.grantId, grantId)));
  return row!;
}

describe('deciding review items', () => {
  it(`records a decision once: of four clicks at once (${OVERLAP}), the others are told who decided first`, async () => {
    const item = await itemOf('u3', 'g1'); // li's Engineering access, reviewed by maria
    const clicks = await Promise.all([
      decideItem(deps, { itemId: item.id, decision: 'approved', actorPersonId: id('maria') }),
      decideItem(deps, { itemId: item.id, decision: 'approved', actorPersonId: id('maria') }),
      decideItem(deps, { itemId: item.id, decision: 'revoked', reason: 'not needed', actorPersonId: id('maria') }),
      decideItem(deps, { itemId: item.id, decision: 'approved', actorPersonId: id('maria') }),
    ]);
    expect(clicks.filter((r) => r.outcome === 'recorded')).toHaveLength(1);
    const winner = clicks.find((r) => r.outcome === 'recorded')!;
    for (const loser of clicks.filter((r) => r.outcome === 'already_decided')) {
      expect(loser).toMatchObject({ decision: winner.decision, decidedBy: { personId: id('maria'), name: 'maria', email: 'maria@acme.test' } });
      expect(loser.decidedAt).toEqual(deps.clock.now());
    }
    expect(await t.db.select().from(accessRequest)).toHaveLength(winner.decision === 'revoked' ? 2 : 1); // ann's grant request + the revoke
    const decided = await events('review.decided');
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({
      actor: `person:${id('maria')}`,
      subject: { campaign: c.id, item: item.id },
      payload: {
        itemId: item.id,
        campaignId: c.id,
        decision: winner.decision,
        reviewer: { personId: id('maria'), email: 'maria@acme.test', name: 'maria', slackUserId: 'U2' },
        access: { personEmail: 'li@acme.test', resourceName: 'Engineering', system: 'okta', privileged: false },
      },
    });
    expect(await t.db.select().from(outbox).where(eq(outbox.kind, 'review.refresh'))).toMatchObject([{ channel: 'U2', payload: { campaignId: c.id, reviewerId: id('maria') } }]);
  });

  it('answers a retry with the same idempotency key as the original success', async () => {
    const item = await itemOf('u3', 'g1');
    const first = await decideItem(deps, { itemId: item.id, decision: 'approved', actorPersonId: id('maria'), idempotencyKey: 'trigger-1' });
    const retry = await decideItem(deps, { itemId: item.id, decision: 'approved', actorPersonId: id('maria'), idempotencyKey: 'trigger-1' });
    expect(first).toMatchObject({ outcome: 'recorded', replayed: false });
    expect(retry).toMatchObject({ outcome: 'recorded', replayed: true, decidedAt: first.decidedAt });
    const other = await decideItem(deps, { itemId: item.id, decision: 'revoked', reason: 'x', actorPersonId: id('maria'), idempotencyKey: 'trigger-2' });
    expect(other.outcome).toBe('already_decided');
    expect(await events('review.decided')).toHaveLength(1);
  });

  it('refuses a decision by someone other than the reviewer, and logs a security event', async () => {
    const item = await itemOf('u3', 'g1');
    await expect(decideItem(deps, { itemId: item.id, decision: 'approved', actorPersonId: id('jo') })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/Only the reviewer/),
    });
    const [refused] = await events('security.refused');
    expect(refused).toMatchObject({ actor: `person:${id('jo')}`, subject: { campaign: c.id, item: item.id }, payload: { attempted: 'review.approve' } });
    expect((await itemOf('u3', 'g1')).decision).toBe('pending');
    expect(await events('review.decided')).toHaveLength(0);
  });

  it('refuses a decision on one\'s own access even by the reviewer of the item', async () => {
    // Force the self-review case the router avoids: li's own item assigned to li.
    const item = await itemOf('u3', 'g1');
    await t.db.update(reviewItem).set({ reviewerId: id('li') }).where(eq(reviewItem.id, item.id));
    await expect(decideItem(deps, { itemId: item.id, decision: 'approved', actorPersonId: id('li') })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/own access/) });
    expect((await events('security.refused'))[0]?.payload).toMatchObject({ reason: 'own access' });
  });

  it('needs a reason to revoke, and turns a revoke into an approved revoke request', async () => {
    const item = await itemOf('u3', 'g2');
    await expect(decideItem(deps, { itemId: item.id, decision: 'revoked', reason: '  ', actorPersonId: id('maria') })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    const res = await decideItem(deps, { itemId: item.id, decision: 'revoked', reason: 'left the platform team', actorPersonId: id('maria'), removalTiming: 'close' });
    expect(res).toMatchObject({ outcome: 'recorded', decision: 'revoked' });
    const [req] = await t.db.select().from(accessRequest).where(eq(accessRequest.kind, 'revoke'));
    expect(req).toMatchObject({
      id: res.outcome === 'recorded' ? res.requestId : '',
      status: 'approved',
      grantId: item.grantId,
      accountId: item.snapshot.accountId,
      resourceId: item.snapshot.resourceId,
      subjectPersonId: id('li'),
      requestedBy: `person:${id('maria')}`,
      approvedBy: `person:${id('maria')}`,
      reason: 'left the platform team',
      origin: `review_item:${item.id}`,
      details: { removalTiming: 'close' },
    });
    expect(await itemOf('u3', 'g2')).toMatchObject({ decision: 'revoked', requestId: req!.id, reason: 'left the platform team', removalTiming: 'close', decidedBy: id('maria') });
    expect(await events('removal.requested')).toMatchObject([{ subject: { request: req!.id, item: item.id }, payload: { grantId: item.grantId, removalTiming: 'close' } }]);
    expect((await verifyChain(t.db)).ok).toBe(true);
  });

  it('approves all remaining for a reviewer, or all for one person, one event per item', async () => {
    const forAnn = await approveAllRemaining(deps, { campaignId: c.id, actorPersonId: id('li'), subjectPersonId: id('ann') });
    expect(forAnn).toEqual({ approved: 1, skippedOwnAccess: 0, remaining: 1 }); // the orphan is left
    const all = await approveAllRemaining(deps, { campaignId: c.id, actorPersonId: id('maria') });
    expect(all).toEqual({ approved: 4, skippedOwnAccess: 0, remaining: 0 });
    expect(await approveAllRemaining(deps, { campaignId: c.id, actorPersonId: id('maria') })).toEqual({ approved: 0, skippedOwnAccess: 0, remaining: 0 });
    const decided = await events('review.decided');
    expect(decided).toHaveLength(5);
    expect(decided.every((e) => e.payload.bulk === true)).toBe(true);
    const groups = await findReviewerItems(t.db, c.id, id('maria'));
    expect(groups.map((g) => g.personEmail)).toEqual(['ann@acme.test', 'li@acme.test', 'sam@acme.test']);
    expect(groups[1]!.items.map((i) => [i.snapshot.resourceName, i.decision, i.decidedBy?.name])).toEqual([
      ['AWS Admins', 'approved', 'maria'],
      ['Engineering', 'approved', 'maria'],
    ]);
  });

  it('skips the reviewer\'s own access when approving all', async () => {
    const own = await itemOf('u2', 'g1');
    await t.db.update(reviewItem).set({ reviewerId: id('maria') }).where(eq(reviewItem.id, own.id));
    const res = await approveAllRemaining(deps, { campaignId: c.id, actorPersonId: id('maria') });
    expect(res).toEqual({ approved: 4, skippedOwnAccess: 1, remaining: 1 });
    expect((await itemOf('u2', 'g1')).decision).toBe('pending');
  });

  it('delegates items with a reason; the delegate decides and gets the review DM', async () => {
    const res = await delegateItems(deps, { campaignId: c.id, actorPersonId: id('maria'), toPersonEmail: 'ann@acme.test', subjectPersonId: id('sam'), reason: 'ann runs that team now' });
    expect(res).toMatchObject({ delegated: 1, to: { personId: id('ann'), email: 'ann@acme.test' } });
    const item = await itemOf('u4', 'g1');
    expect(item).toMatchObject({ reviewerId: id('ann'), delegatedFromId: id('maria'), delegationReason: 'ann runs that team now' });
    expect(await events('review.delegated')).toMatchObject([{ actor: `person:${id('maria')}`, payload: { itemId: item.id, toPersonId: id('ann'), reason: 'ann runs that team now' } }]);
    const [dm] = await t.db.select().from(outbox).where(eq(outbox.dedupeKey, `review.request:${c.id}:${id('ann')}`));
    expect(dm).toMatchObject({ kind: 'review.request', channel: 'U9', payload: { campaignId: c.id, reviewerId: id('ann') } });

    expect(await decideItem(deps, { itemId: item.id, decision: 'approved', actorPersonId: id('ann') })).toMatchObject({ outcome: 'recorded' });
    expect((await findReviewerItems(t.db, c.id, id('ann')))[0]!.items[0]).toMatchObject({ delegatedFrom: { personId: id('maria'), email: 'maria@acme.test' }, decidedBy: { name: 'ann' } });

    // The reviewer who handed an item over may still decide it; an unrelated person may not.
    const liEng = await itemOf('u3', 'g1');
    await delegateItems(deps, { campaignId: c.id, actorPersonId: id('maria'), toPersonId: id('ann'), itemIds: [liEng.id], reason: 'holiday' });
    await expect(decideItem(deps, { itemId: liEng.id, decision: 'approved', actorPersonId: id('jo') })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await decideItem(deps, { itemId: liEng.id, decision: 'approved', actorPersonId: id('maria') })).toMatchObject({ outcome: 'recorded', decidedBy: { personId: id('maria') } });
    // A second delegation to ann refreshes the DM she already has instead of sending another.
    expect(await t.db.select().from(outbox).where(eq(outbox.dedupeKey, `review.request:${c.id}:${id('ann')}`))).toHaveLength(1);
    expect((await t.db.select().from(outbox).where(eq(outbox.kind, 'review.refresh'))).some((r) => r.channel === 'U9')).toBe(true);
  });

  it('refuses a delegation to the subject of the items, without a reason, or of items not one\'s own', async () => {
    await expect(delegateItems(deps, { campaignId: c.id, actorPersonId: id('maria'), toPersonEmail: 'li@acme.test', subjectPersonId: id('li'), reason: 'x' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/own access/) });
    await expect(delegateItems(deps, { campaignId: c.id, actorPersonId: id('maria'), toPersonEmail: 'ann@acme.test', reason: ' ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(delegateItems(deps, { campaignId: c.id, actorPersonId: id('maria'), toPersonEmail: 'sam@acme.test', reason: 'x' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/Slack/) });
    const lis = await itemOf('u9', 'g1');
    await expect(delegateItems(deps, { campaignId: c.id, actorPersonId: id('maria'), toPersonEmail: 'ann@acme.test', itemIds: [lis.id], reason: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await events('security.refused')).toHaveLength(1);
    expect(await events('review.delegated')).toHaveLength(0);
  });

  it('refuses decisions once the campaign is closed', async () => {
    const item = await itemOf('u3', 'g1');
    await closeCampaign(deps, { campaignId: c.id, actor: 'test' });
    await expect(decideItem(deps, { itemId: item.id, decision: 'approved', actorPersonId: id('maria') })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/closed/) });
    await expect(approveAllRemaining(deps, { campaignId: c.id, actorPersonId: id('maria') })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
