import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { transferPerson } from '../../src/domain/lifecycle/transfer-person.js';
import { startMoverReview } from '../../src/domain/lifecycle/start-mover-review.js';
import { campaign, evidenceEvent, outbox, person, reviewItem } from '../../src/db/schema/index.js';

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let org: Seeded;

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  org = await seedReviewDirectory(deps);
});
afterAll(async () => {
  await t.drop();
});

describe('mover review', () => {
  it('reviews only what the mover holds, by the new manager, and records only their grants as read', async () => {
    const res = await transferPerson(deps, { email: 'ANN@acme.test', department: 'Sales', managerEmail: 'maria@acme.test', actor: 'hr', origin: 'test' });
    const [c] = await t.db.select().from(campaign).where(eq(campaign.id, res.campaignId));
    expect(c).toMatchObject({ kind: 'mover', status: 'launched', scope: { personIds: [org.people.ann!.id] } });
    const items = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, res.campaignId));
    expect(items.map((i) => i.grantId).sort()).toEqual([await org.grantOf('u9', 'a1'), await org.grantOf('u9', 'g1')].sort());
    expect(items.every((i) => i.reviewerId === org.people.maria!.id && i.snapshot.personEmail === 'ann@acme.test')).toBe(true);
    // The provenance of a mover review counts the mover's grants, not the org's.
    expect(c!.provenance).toMatchObject({ okta: { liveGrants: 2, inScope: 2, excluded: {} } });
    expect(await t.db.select().from(outbox).where(eq(outbox.kind, 'review.request'))).toHaveLength(1);
    const [started] = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'mover.review_started'));
    expect(started).toMatchObject({ subject: { person: org.people.ann!.id, campaign: res.campaignId }, payload: { items: 2 } });
  });

  it('keeps the rules: a mover whose new manager approved their access is reviewed a level up', async () => {
    // li approved ann's GitHub access: li as the new manager is passed over for li's manager.
    const res = await startMoverReview(deps, { personId: org.people.ann!.id, reason: 'moved', newManagerId: org.people.li!.id });
    const items = await t.db.select({ grantId: reviewItem.grantId, reviewer: person.email, reason: reviewItem.fallbackReason }).from(reviewItem).innerJoin(person, eq(person.id, reviewItem.reviewerId)).where(eq(reviewItem.campaignId, res.campaignId));
    expect(items).toContainEqual({ grantId: await org.grantOf('u9', 'a1'), reviewer: 'maria@acme.test', reason: 'li@acme.test approved or granted this access' });
    expect(items).toContainEqual({ grantId: await org.grantOf('u9', 'g1'), reviewer: 'li@acme.test', reason: null });
  });

  it('opens an empty review for someone who holds nothing in scope, counting what was left out', async () => {
    const res = await startMoverReview(deps, { personId: org.people.sam!.id, reason: 'moved', newManagerId: null });
    expect(res.items).toBe(1);
    const gone = await startMoverReview(deps, { personId: org.people.gone!.id, reason: 'moved', newManagerId: null });
    expect(gone.items).toBe(0);
    const [c] = await t.db.select().from(campaign).where(eq(campaign.id, gone.campaignId));
    expect(c!.provenance).toMatchObject({ okta: { liveGrants: 1, inScope: 0, excluded: { 'inactive account': 1 } } });
  });
});
