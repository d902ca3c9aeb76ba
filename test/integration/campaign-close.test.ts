import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { draftCampaign, launchedCampaign } from '../factories/campaign.js';
import { accessRequest, evidenceEvent, outbox, reviewItem } from '../../src/db/schema/index.js';
import { approveAllRemaining } from '../../src/domain/reviews/approve-all-remaining.js';
import { closeCampaign, NO_RESPONSE_REASON } from '../../src/domain/reviews/close-campaign.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import { getCampaignStatus } from '../../src/domain/reviews/get-campaign-status.js';
import { findOpenCampaigns } from '../../src/domain/reviews/find-open-campaigns.js';
import { findReviewerItems } from '../../src/domain/reviews/find-reviewer-items.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let org: Seeded;

beforeEach(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db, { COMPLIANCE_CHANNEL: 'C0COMPLY' });
  org = await seedReviewDirectory(deps);
});
afterEach(async () => {
  await t.drop();
});

const id = (name: string) => org.people[name]!.id;
const events = async (action: string) => t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, action));

describe('campaign status and close', () => {
  it('reports status with exactly the documented keys first, per-reviewer progress and every fallback', async () => {
    const c = await launchedCampaign(deps);
    await approveAllRemaining(deps, { campaignId: c.id, actorPersonId: id('maria') });
    const [liAws] = await t.db.select().from(reviewItem).where(eq(reviewItem.reviewerId, id('li')));
    await decideItem(deps, { itemId: liAws!.id, decision: 'revoked', reason: 'unknown service account', actorPersonId: id('li') });

    const s = await getCampaignStatus(t.db, c.id);
    expect(Object.keys(s).slice(0, 9)).toEqual(['id', 'name', 'status', 'items', 'pending', 'approved', 'revoked', 'reviewers', 'fallbacks']);
    expect(s).toMatchObject({ id: c.id, name: 'Q4 2026 access review', status: 'launched', items: 11, pending: 6, approved: 4, revoked: 1, reviewers: 4 });
    expect(s.fallbacks).toHaveLength(5);
    expect(s.fallbacks[0]).toEqual({ item: expect.any(String), person: 'ann@acme.test', resource: 'GitHub (github)', reason: 'li@acme.test approved or granted this access', reviewer: 'maria@acme.test' });
    expect(s.byReviewer).toContainEqual({ reviewerId: id('maria'), name: 'maria', email: 'maria@acme.test', pending: 0, decided: 4 });
    expect(s.byReviewer.reduce((n, r) => n + r.pending + r.decided, 0)).toBe(11);
    expect(JSON.parse(JSON.stringify(s)).dueAt).toBe('2026-12-31T23:59:59.999Z');
    expect(await findOpenCampaigns(t.db)).toMatchObject([{ id: c.id, items: 11, pending: 6 }]);
  });

  it('closes with the flag rule: undecided items stay pending and are counted', async () => {
    const c = await launchedCampaign(deps);
    await approveAllRemaining(deps, { campaignId: c.id, actorPersonId: id('maria') });
    const res = await closeCampaign(deps, { campaignId: c.id, actor: 'cli:test' });
    expect(res).toMatchObject({ items: 11, approved: 4, revoked: 0, undecided: 7, autoRevoked: 0, campaign: { status: 'closed' } });
    expect(await events('campaign.closed')).toMatchObject([{ actor: 'cli:test', payload: { undecided: 7, nonResponse: 'flag' } }]);
    expect(await t.db.select().from(accessRequest).where(eq(accessRequest.kind, 'revoke'))).toHaveLength(0);
    expect(await t.db.select().from(outbox).where(eq(outbox.kind, 'campaign.summary'))).toMatchObject([{ channel: 'C0COMPLY', payload: { campaignId: c.id } }]);
    expect(await findOpenCampaigns(t.db)).toEqual([]);
    await expect(closeCampaign(deps, { campaignId: c.id, actor: 'cli:test' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already closed/) });
  });

  it('closes with the revoke rule: undecided items are revoked by the system, each with a request', async () => {
    const c = await launchedCampaign(deps, { nonResponse: 'revoke' });
    await approveAllRemaining(deps, { campaignId: c.id, actorPersonId: id('maria') });
    const res = await closeCampaign(deps, { campaignId: c.id, actor: 'cli:test' });
    expect(res).toMatchObject({ items: 11, approved: 4, revoked: 7, undecided: 0, autoRevoked: 7 });
    const items = await t.db.select().from(reviewItem).where(eq(reviewItem.decision, 'revoked'));
    expect(items).toHaveLength(7);
    expect(items.every((i) => i.reason === NO_RESPONSE_REASON && i.decidedBy === null && i.requestId)).toBe(true);
    const requests = await t.db.select().from(accessRequest).where(eq(accessRequest.kind, 'revoke'));
    expect(requests).toHaveLength(7);
    expect(requests[0]).toMatchObject({ status: 'approved', requestedBy: 'system', approvedBy: 'system', reason: NO_RESPONSE_REASON });
    expect(new Set(requests.map((r) => r.id))).toEqual(new Set(items.map((i) => i.requestId)));
    const decided = (await events('review.decided')).filter((e) => e.actor === 'system');
    expect(decided).toHaveLength(7);
    expect(decided[0]!.payload).toMatchObject({ decision: 'revoked', reason: NO_RESPONSE_REASON, reviewer: { personId: null, name: 'system' } });
    expect(await events('removal.requested')).toHaveLength(7);
    expect(await events('campaign.closed')).toMatchObject([{ payload: { autoRevoked: 7, undecided: 0 } }]);
    const comp = await findReviewerItems(t.db, c.id, id('comp'));
    expect(comp.flatMap((g) => g.items).every((i) => i.decidedBy?.name === 'system')).toBe(true);
    expect((await verifyChain(t.db)).ok).toBe(true);
  });

  it('refuses to close a draft, and a status for an unknown id is NOT_FOUND', async () => {
    const c = await draftCampaign(deps);
    await expect(closeCampaign(deps, { campaignId: c.id, actor: 'x' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/never launched/) });
    expect(await getCampaignStatus(t.db, c.id)).toMatchObject({ status: 'draft', items: 0, reviewers: 0, fallbacks: [] });
    await expect(getCampaignStatus(t.db, 'not-an-id')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getCampaignStatus(t.db, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
