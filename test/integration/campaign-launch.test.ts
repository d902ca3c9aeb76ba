import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { OVERLAP, createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { draftCampaign } from '../factories/campaign.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { launchCampaign } from '../../src/domain/reviews/launch-campaign.js';
import { planLaunch } from '../../src/domain/reviews/plan-launch.js';
import type { createCampaign } from '../../src/domain/reviews/create-campaign.js';
import { campaign, evidenceEvent, outbox, person, resource, reviewItem, syncRun } from '../../src/db/schema/index.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';
import { isAppError } from '../../src/errors.js';

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let org: Seeded;

beforeEach(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  org = await seedReviewDirectory(deps);
});
afterEach(async () => {
  await t.drop();
});

/** grant key ("u3/g2") → reviewer email and fallback reason, from the stored items. */
async function routing(campaignId: string) {
  const rows = await t.db
    .select({ item: reviewItem, reviewer: person.email })
    .from(reviewItem)
    .innerJoin(person, eq(person.id, reviewItem.reviewerId))
    .where(eq(reviewItem.campaignId, campaignId));
  const keyOf = new Map<string, string>();
  for (const [a, r] of [['u1', 'g2'], ['u2', 'g1'], ['u3', 'g1'], ['u3', 'g2'], ['u4', 'g1'], ['u5', 'a1'], ['u6', 'g2'], ['u6', 'a1'], ['u8', 'g1'], ['u9', 'a1'], ['u9', 'g1']] as const) {
    keyOf.set(await org.grantOf(a, r), `${a}/${r}`);
  }
  return Object.fromEntries(rows.map((r) => [keyOf.get(r.item.grantId) ?? r.item.grantId, { reviewer: r.reviewer.split('@')[0], reason: r.item.fallbackReason }]));
}

const eventsNamed = async (action: string) => t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, action));

describe('campaign launch', () => {
  it('routes each item to the manager, with a reason for every fallback', async () => {
    const c = await draftCampaign(deps);
    expect(c).toMatchObject({ status: 'draft', ownerId: org.people.comp!.id });
    expect(c.dueAt.toISOString()).toBe('2026-12-31T23:59:59.999Z');
    const res = await launchCampaign(deps, { campaignId: c.id, actor: 'test' });
    expect(res.summary).toMatchObject({ items: 11, reviewers: 4, systems: ['github', 'okta'], excluded: { 'inactive account': 1 } });

    expect(await routing(c.id)).toEqual({
      'u1/g2': { reviewer: 'comp', reason: 'ceo@acme.test has no manager' },
      'u2/g1': { reviewer: 'ceo', reason: null },
      'u3/g1': { reviewer: 'maria', reason: null },
      'u3/g2': { reviewer: 'maria', reason: null },
      'u4/g1': { reviewer: 'maria', reason: null },
      'u5/a1': { reviewer: 'comp', reason: 'sam@acme.test has no Slack account' },
      'u6/g2': { reviewer: 'comp', reason: 'orphaned account (no person); AWS Admins has no owner' },
      'u6/a1': { reviewer: 'li', reason: 'orphaned account (no person)' },
      'u8/g1': { reviewer: 'ceo', reason: null },
      'u9/a1': { reviewer: 'maria', reason: 'li@acme.test approved or granted this access' },
      'u9/g1': { reviewer: 'li', reason: null },
    });
    expect(res.summary.fallbacks).toHaveLength(5);
    expect(res.summary.fallbacks).toContainEqual({
      itemKey: await org.grantOf('u5', 'a1'),
      person: 'jo@acme.test',
      resource: 'GitHub (github)',
      reason: 'sam@acme.test has no Slack account',
      reviewer: 'comp@acme.test',
    });
  });

  it('routes to resource owners under the owner rule, and nobody reviews their own access', async () => {
    const c = await draftCampaign(deps, { reviewerRule: 'owner' });
    await launchCampaign(deps, { campaignId: c.id, actor: 'test' });
    const r = await routing(c.id);
    expect(r['u2/g1']).toEqual({ reviewer: 'ceo', reason: 'maria@acme.test would review their own access' });
    expect(r['u3/g1']).toEqual({ reviewer: 'maria', reason: null });
    expect(r['u3/g2']).toEqual({ reviewer: 'comp', reason: 'AWS Admins has no owner' });
    expect(r['u5/a1']).toEqual({ reviewer: 'li', reason: null });
    expect(r['u9/a1']).toEqual({ reviewer: 'maria', reason: 'li@acme.test approved or granted this access' });
    const items = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, c.id));
    expect(items.filter((i) => i.snapshot.personId === i.reviewerId)).toEqual([]);
  });

  it('sends the campaign owner\'s own access past them to another admin', async () => {
    const c = await draftCampaign(deps, { ownerEmail: 'ceo@acme.test' });
    await launchCampaign(deps, { campaignId: c.id, actor: 'test' });
    const r = await routing(c.id);
    // ceo has no manager → the owner, who is ceo → the next admin.
    expect(r['u1/g2']).toEqual({ reviewer: 'comp', reason: 'ceo@acme.test has no manager; ceo@acme.test would review their own access' });
    expect(r['u5/a1']).toEqual({ reviewer: 'ceo', reason: 'sam@acme.test has no Slack account' });
  });

  it('freezes the population: a later sync that removes a grant or renames a person changes no item', async () => {
    const c = await draftCampaign(deps);
    await launchCampaign(deps, { campaignId: c.id, actor: 'test' });
    const before = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, c.id));
    org.connector.org.grants = org.connector.org.grants.filter((g) => !(g.accountExternalId === 'u3' && g.resourceExternalId === 'g2'));
    org.connector.org.accounts[2] = { ...org.connector.org.accounts[2]!, person: { ...org.connector.org.accounts[2]!.person!, name: 'Li Renamed', department: 'Platform' } };
    deps.clock.advance(3600_000);
    expect((await runSync(deps, org.connector)).removed).toBe(1);
    const after = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, c.id));
    expect(after).toEqual(before);
    const li = after.find((i) => i.snapshot.accountLogin === 'li@acme.test' && i.snapshot.resourceName === 'AWS Admins');
    expect(li?.snapshot).toMatchObject({ personName: 'li', department: 'Engineering', privileged: true, managerEmail: 'maria@acme.test', system: 'okta', via: 'direct' });
  });

  it('queues one review DM per reviewer, records provenance and one launch event', async () => {
    const c = await draftCampaign(deps);
    const res = await launchCampaign(deps, { campaignId: c.id, actor: 'cli:test' });
    const rows = await t.db.select().from(outbox).where(eq(outbox.kind, 'review.request'));
    expect(rows).toHaveLength(4);
    const maria = rows.find((r) => r.payload.reviewerId === org.people.maria!.id);
    expect(maria).toMatchObject({ channel: 'U2', status: 'pending', dedupeKey: `review.request:${c.id}:${org.people.maria!.id}`, payload: { campaignId: c.id, reviewerId: org.people.maria!.id } });

    const [run] = await t.db.select().from(syncRun);
    expect(res.campaign.provenance).toEqual({
      okta: { syncRunId: run!.id, syncedAt: run!.finishedAt!.toISOString(), read: { accounts: 9, grants: 12 }, liveGrants: 12, inScope: 11, excluded: { 'inactive account': 1 } },
    });
    const launched = await eventsNamed('campaign.launched');
    expect(launched).toHaveLength(1);
    expect(launched[0]).toMatchObject({ actor: 'cli:test', subject: { campaign: c.id }, payload: { items: 11, reviewers: 4, fallbacks: 5 } });
    expect((await verifyChain(t.db)).ok).toBe(true);
  });

  it('a dry run reports the plan and changes nothing', async () => {
    const c = await draftCampaign(deps);
    const eventsBefore = (await t.db.select().from(evidenceEvent)).length;
    const dry = await launchCampaign(deps, { campaignId: c.id, actor: 'test', dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, campaign: { id: c.id, status: 'draft' }, summary: { items: 11, reviewers: 4 } });
    expect(dry.summary.fallbacks.map((f) => f.reason)).toContain('ceo@acme.test has no manager');
    expect(await t.db.select().from(reviewItem)).toHaveLength(0);
    expect(await t.db.select().from(outbox)).toHaveLength(0);
    expect((await t.db.select().from(evidenceEvent)).length).toBe(eventsBefore);
    expect((await t.db.select().from(campaign))[0]).toMatchObject({ status: 'draft', provenance: null });
  });

  it(`refuses to launch twice, also when two launches race (${OVERLAP})`, async () => {
    const c = await draftCampaign(deps);
    const both = await Promise.allSettled([
      launchCampaign(deps, { campaignId: c.id, actor: 'a' }),
      launchCampaign(deps, { campaignId: c.id, actor: 'b' }),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(isAppError(rejected.reason, 'CONFLICT')).toBe(true);
    expect(rejected.reason.message).toMatch(/already launched/);
    await expect(launchCampaign(deps, { campaignId: c.id, actor: 'a' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(launchCampaign(deps, { campaignId: c.id, actor: 'a', dryRun: true })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await t.db.select().from(reviewItem)).toHaveLength(11);
    expect(await eventsNamed('campaign.launched')).toHaveLength(1);
  });

  it('applies the scope: systems, privileged only, departments, named people', async () => {
    const count = async (scope: Parameters<typeof createCampaign>[1]['scope']) => {
      const c = await draftCampaign(deps, { scope });
      return planLaunch(t.db, c.id);
    };
    const github = await count({ systems: ['github'] });
    expect(github).toMatchObject({ items: 3, systems: ['github'], excluded: { 'out-of-scope system': 8, 'inactive account': 1 } });
    const privileged = await count({ privilegedOnly: true });
    expect(privileged).toMatchObject({ items: 3, excluded: { 'not privileged': 8 } });
    // Orphaned accounts have no department but are still reviewed.
    const sales = await count({ departments: ['Sales'] });
    await launchCampaign(deps, { campaignId: sales.campaignId, actor: 'test' });
    const frozen = await t.db.select({ s: reviewItem.snapshot }).from(reviewItem).where(eq(reviewItem.campaignId, sales.campaignId));
    expect(frozen.map((i) => i.s.personEmail).sort()).toEqual(['jo@acme.test', 'svc-backup', 'svc-backup']);
    const ann = await count({ personIds: [org.people.ann!.id] });
    expect(ann).toMatchObject({ items: 2, excluded: { 'person not in scope': 7, 'orphaned account (campaign scoped to named people)': 2 } });
    const [gh] = await t.db.select({ id: resource.id }).from(resource).where(eq(resource.externalId, 'a1'));
    const aws = await count({ resourceIds: [gh!.id] });
    expect(aws.items).toBe(3);
  });

  it('needs an owner: the first admin by default, else a clear refusal', async () => {
    await t.raw('delete from person_role');
    await expect(draftCampaign(deps)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/admin/) });
    await expect(draftCampaign(deps, { ownerEmail: 'nobody@acme.test' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(draftCampaign(deps, { ownerEmail: 'ceo@acme.test', dueAt: '2026-01-01' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/past/) });
    await expect(draftCampaign(deps, { ownerEmail: 'ceo@acme.test', scope: { systems: ['gitlab'] } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/gitlab/) });
    const c = await draftCampaign(deps, { ownerEmail: 'CEO@acme.test' });
    expect(c.ownerId).toBe(org.people.ceo!.id);
    const [created] = await eventsNamed('campaign.created');
    expect(created).toMatchObject({ actor: 'test', subject: { campaign: c.id }, payload: { ownerEmail: 'ceo@acme.test', reviewerRule: 'manager', nonResponse: 'flag', reminderOffsetsDays: [7, 2, 1] } });
  });
});
