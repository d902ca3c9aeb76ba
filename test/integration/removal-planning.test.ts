import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { launchedCampaign } from '../factories/campaign.js';
import { accessRequest, reviewItem, task, type Campaign } from '../../src/db/schema/index.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import { closeCampaign } from '../../src/domain/reviews/close-campaign.js';
import { planReviewRemovals } from '../../src/domain/reviews/plan-review-removals.js';
import { runAutomatedTasks } from '../../src/domain/lifecycle/run-automated-tasks.js';
import { runSync } from '../../src/domain/directory/run-sync.js';

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let org: Seeded;
let c: Campaign;

beforeEach(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db, { REVOKE_MODE: 'auto' });
  org = await seedReviewDirectory(deps);
  // The directory's own connector carries out removals (and the next sync no longer sees them).
  const connectors = { okta: org.connector };
  deps = { ...deps, connectors: testDeps(t.db, { REVOKE_MODE: 'auto' }, connectors).connectors };
  c = await launchedCampaign(deps);
});
afterEach(async () => {
  await t.drop();
});

async function itemOf(accountExt: string, resourceExt: string) {
  const grantId = await org.grantOf(accountExt, resourceExt);
  const [row] = await t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.grantId, grantId)));
  return row!;
}

describe('revocations close the loop', () => {
  it('a "remove now" revocation is carried out and then verified by the next sync', async () => {
    const item = await itemOf('u3', 'g1'); // li's Engineering access, reviewed by maria
    const decided = await decideItem(deps, { itemId: item.id, decision: 'revoked', reason: 'moved teams', actorPersonId: org.people.maria!.id, removalTiming: 'now' });
    expect(decided.outcome).toBe('recorded');
    expect((await planReviewRemovals(deps)).planned).toBe(1);
    expect((await planReviewRemovals(deps)).planned).toBe(0); // planned once
    expect(await runAutomatedTasks(deps, deps.connectors)).toMatchObject({ done: 1 });
    const report = await runSync(deps, org.connector);
    expect(report.verified).toBe(1);
    const [req] = await t.db.select().from(accessRequest).where(eq(accessRequest.origin, `review_item:${item.id}`));
    expect(req).toMatchObject({ status: 'verified', verifiedBySyncRunId: report.runId });
  });

  it('an "at campaign close" revocation waits for the close', async () => {
    const item = await itemOf('u3', 'g1');
    await decideItem(deps, { itemId: item.id, decision: 'revoked', reason: 'moved teams', actorPersonId: org.people.maria!.id, removalTiming: 'close' });
    expect((await planReviewRemovals(deps)).planned).toBe(0);
    expect(await t.db.select().from(task)).toHaveLength(0);
    await closeCampaign(deps, { campaignId: c.id, actor: 'test' });
    expect((await planReviewRemovals(deps)).planned).toBe(1);
  });
});
