import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { reviewItem, type Campaign, type OutboxRow, type ReviewItem } from '../../src/db/schema/index.js';
import { approveAllRemaining } from '../../src/domain/reviews/approve-all-remaining.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import { findUnsignedReviewers } from '../../src/domain/reviews/find-unsigned-reviewers.js';
import { prepareSignOff, signOff } from '../../src/domain/reviews/sign-off.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { ACTION } from '../../src/slack/ids.js';
import { personValue } from '../../src/slack/views/review-values.js';
import { launchedCampaign } from '../factories/campaign.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { buttonsOf } from '../helpers/journey-tools.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * What a reviewer's DM offers in a `--second-level owner` campaign once level-2 items reach
 * someone who also reviews at the first level. The review org's AWS Admins is privileged and
 * has no owner, and comp (the campaign owner, the only admin) reviews ceo's and svc-backup's
 * AWS Admins (and jo's GitHub) at the first level: a level-2 item of comp's approval comes back
 * to comp, and one of anyone else's approval goes to comp.
 */
interface Setup {
  t: TestDatabase;
  deps: ReturnType<typeof testDeps>;
  org: Seeded;
  c: Campaign;
}

async function setUp(): Promise<Setup> {
  const t = await createTestDatabase();
  const deps = testDeps(t.db);
  const org = await seedReviewDirectory(deps);
  const c = await launchedCampaign(deps, { secondLevel: 'owner' });
  return { t, deps, org, c };
}

/** The reviewer's DM as the next refresh would show it. */
async function dmOf(s: Setup, reviewer: string) {
  const plan = await RENDERERS['review.refresh']!(s.deps, { kind: 'review.refresh', payload: { campaignId: s.c.id, reviewerId: s.org.people[reviewer]!.id } } as unknown as OutboxRow);
  const blocks = plan!.messages.flatMap((m) => m.blocks ?? []);
  return { blocks, text: JSON.stringify(blocks), buttons: buttonsOf(blocks) };
}

async function itemsOf(s: Setup, accountExt: string, resourceExt: string): Promise<ReviewItem[]> {
  const grantId = await s.org.grantOf(accountExt, resourceExt);
  return s.t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, s.c.id), eq(reviewItem.grantId, grantId))).orderBy(reviewItem.level);
}

describe('a level-2 item that comes back to its first approver', () => {
  let s: Setup;
  const id = (name: string) => s.org.people[name]!.id;
  beforeAll(async () => {
    s = await setUp();
  }, 60_000);
  afterAll(async () => {
    await s?.t.drop();
  });

  it('is not offered to them to decide: no Approve, Revoke, Approve all for <name> or Approve all remaining, only Reassign', async () => {
    const [ceoAws] = await itemsOf(s, 'u1', 'g2');
    expect(ceoAws!.reviewerId).toBe(id('comp'));
    await decideItem(s.deps, { itemId: ceoAws!.id, decision: 'approved', actorPersonId: id('comp') });
    const second = (await itemsOf(s, 'u1', 'g2')).find((it) => it.level === 2)!;
    // Nobody else may take the second look, so it stays with the campaign owner to hand over.
    expect(second).toMatchObject({ reviewerId: id('comp'), decision: 'pending', hints: { firstReview: { decidedById: id('comp') } } });

    const dm = await dmOf(s, 'comp');
    const ceoButtons = dm.buttons.filter((b) => b.value === second.id || b.value === personValue(s.c.id, id('ceo')) || b.value?.includes(id('ceo')));
    expect(ceoButtons.map((b) => b.text), dm.text).toEqual(['Reassign…']);
    expect(dm.text).toContain('You approved this access at the first level');
    expect(dm.text).not.toContain(`"value":"${second.id}"`);
    // jo's GitHub and svc-backup's AWS Admins are still comp's to decide: Approve all remaining stays.
    expect(dm.buttons.map((b) => b.actionId)).toContain(ACTION.reviewApproveAll);

    // A click on an old copy of Approve all for ceo approves nothing.
    expect(await approveAllRemaining(s.deps, { campaignId: s.c.id, actorPersonId: id('comp'), subjectPersonId: id('ceo') })).toMatchObject({ approved: 0 });
    expect((await itemsOf(s, 'u1', 'g2'))[1]!.decision).toBe('pending');
  });

  it('leaves no Approve all remaining once only such items are pending', async () => {
    for (const [acc, res] of [['u6', 'g2'], ['u5', 'a1']] as const) {
      const [it] = await itemsOf(s, acc, res);
      expect(it!.reviewerId).toBe(id('comp'));
      await decideItem(s.deps, { itemId: it!.id, decision: 'revoked', reason: 'not needed any more', actorPersonId: id('comp') });
    }
    const dm = await dmOf(s, 'comp');
    expect(dm.buttons.map((b) => b.text), dm.text).toEqual(['Reassign…']);
    expect(dm.text).toContain('*1* still to decide');
  });
});

describe('a reviewer who signed off, then gets a level-2 item of the same campaign', () => {
  let s: Setup;
  const id = (name: string) => s.org.people[name]!.id;
  beforeAll(async () => {
    s = await setUp();
  }, 60_000);
  afterAll(async () => {
    await s?.t.drop();
  });

  it('is told their sign-off covers the items decided before it, and offered Sign off again once the new item is decided', async () => {
    // comp decides every first-level item and signs off.
    for (const [acc, res] of [['u1', 'g2'], ['u6', 'g2'], ['u5', 'a1']] as const) {
      const [it] = await itemsOf(s, acc, res);
      expect(it!.reviewerId).toBe(id('comp'));
      await decideItem(s.deps, { itemId: it!.id, decision: 'revoked', reason: 'not needed', actorPersonId: id('comp') });
    }
    const preview = await prepareSignOff(s.deps, { campaignId: s.c.id, reviewerId: id('comp'), actorPersonId: id('comp') });
    expect(preview.itemCount).toBe(3);
    await signOff(s.deps, { campaignId: s.c.id, reviewerId: id('comp'), actorPersonId: id('comp'), expectedDigest: preview.itemsDigest });

    // maria approves li's AWS Admins: no owner, so its second review goes to the campaign owner.
    const [liAws] = await itemsOf(s, 'u3', 'g2');
    await decideItem(s.deps, { itemId: liAws!.id, decision: 'approved', actorPersonId: id('maria') });
    const second = (await itemsOf(s, 'u3', 'g2')).find((it) => it.level === 2)!;
    expect(second.reviewerId).toBe(id('comp'));

    const pending = await dmOf(s, 'comp');
    expect(pending.text).toContain(`"value":"${second.id}"`);
    expect(pending.text).toContain('Your sign-off covers the 3 items decided before it. 1 item reached you after your sign-off: once it is decided, sign off again to cover it.');
    expect(pending.buttons.map((b) => b.actionId)).not.toContain(ACTION.reviewSignOff);

    await decideItem(s.deps, { itemId: second.id, decision: 'approved', actorPersonId: id('comp') });
    const done = await dmOf(s, 'comp');
    // The DM must not claim the sign-off covers all 4 items: it offers a new one that does.
    expect(done.text).not.toContain('*Signed off* by comp');
    expect(done.text).toContain('1 item reached you after your sign-off: sign off again to cover it.');
    expect(done.buttons.filter((b) => b.actionId === ACTION.reviewSignOff).map((b) => b.text)).toEqual(['Sign off again']);
    expect((await findUnsignedReviewers(s.t.db, s.c.id)).map((r) => r.reviewerId)).toContain(id('comp'));

    // Signing again records seq 2 over all 4 items; the first sign-off stays what was signed.
    const again = await signOff(s.deps, { campaignId: s.c.id, reviewerId: id('comp'), actorPersonId: id('comp') });
    expect(again).toMatchObject({ outcome: 'signed', signoff: { seq: 2, itemCount: 4 } });
    expect((await dmOf(s, 'comp')).text).toContain('*Signed off* by comp');
    expect((await findUnsignedReviewers(s.t.db, s.c.id)).map((r) => r.reviewerId)).not.toContain(id('comp'));
  });
});
