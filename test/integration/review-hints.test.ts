import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { accessGrant, accessRequest, account, evidenceEvent, person, resource, reviewItem, slackMessage, type Campaign, type Person, type ReviewItem } from '../../src/db/schema/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { grantRole } from '../../src/domain/people/grant-role.js';
import { closeCampaign } from '../../src/domain/reviews/close-campaign.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import type { OutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { launchedCampaign } from '../factories/campaign.js';
import { group, member, memoryConnector, user, type MemoryOrg } from '../fakes/memory-connector.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { until } from '../helpers/review-fixture.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';
import { startTestOutboxWorker } from '../helpers/test-outbox-worker.js';
import { messageBlockErrors } from '../helpers/slack-blocks.js';

/**
 * Two campaigns of the same scope over one org, the second's DMs delivered by the outbox worker
 * to the fake Slack and decided by signed clicks: what each item says about itself (history,
 * new, suggestions), the order of a person's items, and who reviews accounts of no person.
 *
 *   boss ── li ── ann (Sales)        five more people in Sales (s1…s5), all holding CRM
 *   comp: admin, campaign owner, owner of Payroll
 *   ann: CRM (requested), Admin (privileged), later Wiki (new, unusual in Sales); her second
 *        account ann-gh (github) has not signed in since May: Repo and Payroll
 *   svc-ci (no person, owner li): CRM; svc-old (no person, no owner, known since January and
 *   never signed in): Payroll
 */
const OLD_LOGIN = new Date('2026-05-01T10:00:00Z'); // 152 whole days before the test clock (2026-10-01 09:00)

function hintsOrg(): MemoryOrg {
  const sales = [1, 2, 3, 4, 5].map((n) => user(`s${n}`, `s${n}@acme.test`, { manager: 'u1', department: 'Sales' }));
  return {
    accounts: [
      user('u1', 'boss@acme.test', { department: 'Exec' }),
      user('u3', 'li@acme.test', { manager: 'u1' }),
      user('u8', 'comp@acme.test', { manager: 'u1', department: 'Compliance' }),
      user('u9', 'ann@acme.test', { manager: 'u3', department: 'Sales' }),
      { ...user('u9gh', 'ann@acme.test', { manager: 'u3', department: 'Sales' }), system: 'github', login: 'ann-gh', lastLoginAt: OLD_LOGIN },
      ...sales,
      user('svc1', 'svc-ci', { person: null, email: null, login: 'svc-ci', displayName: 'svc-ci', ownerEmail: 'li@acme.test' }),
      user('svc2', 'svc-old', { person: null, email: null, login: 'svc-old', displayName: 'svc-old', lastLoginAt: null }),
    ],
    resources: [
      group('g1', 'CRM'),
      group('g2', 'Admin', true),
      group('g3', 'Wiki'),
      { externalId: 'r1', system: 'github', kind: 'app', name: 'Repo', privileged: false },
      { ...group('g4', 'Payroll'), ownerEmail: 'comp@acme.test' },
    ],
    grants: [
      member('u9', 'g1'),
      member('u9', 'g2'),
      member('u9gh', 'r1'),
      member('u9gh', 'g4'),
      member('u3', 'g1'),
      ...sales.map((s) => member(s.externalId, 'g1')),
      member('svc1', 'g1'),
      member('svc2', 'g4'),
    ],
  };
}

let t: TestDatabase;
let s: TestServer;
let worker: OutboxWorker;
let deps: ReturnType<typeof testDeps>;
let people: Record<string, Person>;
let first: Campaign;
let second: Campaign;

const grantOf = async (accountExt: string, resourceExt: string) => {
  const [row] = await t.db
    .select({ id: accessGrant.id })
    .from(accessGrant)
    .innerJoin(account, eq(account.id, accessGrant.accountId))
    .innerJoin(resource, eq(resource.id, accessGrant.resourceId))
    .where(and(eq(account.externalId, accountExt), eq(resource.externalId, resourceExt)));
  return row!.id;
};
const itemIn = async (c: Campaign, accountExt: string, resourceExt: string): Promise<ReviewItem> =>
  (await t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.grantId, await grantOf(accountExt, resourceExt)))))[0]!;
/** The second campaign's DM as the fake workspace holds it now (the first campaign's was sent too). */
const dm = (slackUser: string) => (s.fake.state.messages.get(`D${slackUser.slice(1)}`) ?? []).filter((m) => JSON.stringify(m.blocks).includes('Access review: Q4 review'));
/** The text of each item section in a DM, in order (sections that carry a login line). */
const itemTexts = (slackUser: string) =>
  dm(slackUser)
    .flatMap((m) => m.blocks as { type: string; text?: { text: string } }[])
    .filter((b) => b.type === 'section' && /Last login|No login recorded|Stale:/.test(b.text?.text ?? ''))
    .map((b) => b.text!.text);
const allText = (slackUser: string) => JSON.stringify(dm(slackUser).map((m) => m.blocks));

beforeAll(async () => {
  t = await createTestDatabase();
  s = await startTestServer(t);
  deps = testDeps(t.db);
  const org = hintsOrg();
  const connector = memoryConnector(org, { pageSize: 50 });
  await runSync(deps, connector);
  for (const [name, slack] of Object.entries({ boss: 'U1', li: 'U3', comp: 'U8', ann: 'U9' })) {
    await t.db.update(person).set({ slackUserId: slack }).where(eq(person.email, `${name}@acme.test`));
  }
  await grantRole(deps, { email: 'comp@acme.test', role: 'admin', actor: 'test' });
  await t.db.update(account).set({ firstSeenAt: new Date('2026-01-05T00:00:00Z') }).where(eq(account.externalId, 'svc2'));
  people = Object.fromEntries((await t.db.select().from(person)).map((p) => [p.email.split('@')[0]!, p]));
  // ann asked for CRM and li approved it (done): the request history shows how she got it.
  await t.db.insert(accessRequest).values({
    kind: 'grant', status: 'done', subjectPersonId: people.ann!.id, resourceId: (await t.db.select().from(resource).where(eq(resource.externalId, 'g1')))[0]!.id,
    requestedBy: `person:${people.ann!.id}`, approvedBy: `person:${people.boss!.id}`, createdAt: deps.clock.now(),
  });

  // The first campaign: li approves ann's CRM and revokes her Admin; li's own CRM stays undecided.
  first = await launchedCampaign(deps, { name: 'Q3 review', ownerEmail: 'comp@acme.test' });
  await decideItem(deps, { itemId: (await itemIn(first, 'u9', 'g1')).id, decision: 'approved', actorPersonId: people.li!.id });
  await decideItem(deps, { itemId: (await itemIn(first, 'u9', 'g2')).id, decision: 'revoked', reason: 'not needed', removalTiming: 'close', actorPersonId: people.li!.id });
  await closeCampaign(deps, { campaignId: first.id, actor: 'test' });

  // Since then: ann got Wiki (1 of 6 in Sales), and the stale github account was never used again.
  org.grants.push(member('u9', 'g3'));
  await runSync(deps, connector);
  second = await launchedCampaign(deps, { name: 'Q4 review', ownerEmail: 'comp@acme.test' });
  worker = startTestOutboxWorker(s);
  await until(async () => (await t.db.select().from(slackMessage)).length >= 3 && dm('U3').length > 0 && dm('U1').length > 0 && dm('U8').length > 0);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await s?.close();
  await t?.drop();
});

describe('each item says what is different about it', () => {
  it('shows the first campaign’s decision for every item that was in it, and "New since the last review" for the rest', async () => {
    const items = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, second.id));
    const before = new Set((await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, first.id))).map((i) => i.grantId));
    expect(items.length).toBeGreaterThan(before.size);
    for (const it of items) {
      expect(it.hints?.compared).toBe(true);
      if (before.has(it.grantId)) expect(it.hints?.history).toMatchObject({ campaignId: first.id, campaignName: 'Q3 review' });
      else expect(it.hints?.history).toBeNull();
    }
    const li = itemTexts('U3');
    const line = (resourceName: string) => li.find((x) => x.startsWith(`*${resourceName}*`))!;
    expect(line('CRM')).toContain('Approved in "Q3 review" by li on 1 Oct 2026');
    expect(line('Admin')).toContain('Revoked in "Q3 review" by li on 1 Oct 2026');
    expect(line('Wiki')).toContain('New since the last review');
    expect(line('Wiki')).not.toContain('in "Q3 review"');
    // li's own CRM, reviewed by boss, was never decided in Q3.
    expect(itemTexts('U1').find((x) => x.startsWith('*CRM*'))).toContain('Undecided in "Q3 review"');
    // Every item of the second campaign's DMs says one or the other.
    for (const u of ['U1', 'U3', 'U8']) for (const text of itemTexts(u)) expect(text).toMatch(/ in "Q3 review"|New since the last review/);
  });

  it('says neither in a campaign with nothing to compare with', async () => {
    const items = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, first.id));
    expect(items.every((i) => i.hints?.compared === false && i.hints.history === null)).toBe(true);
  });

  it('suggests revoking stale access, flags unusual access and access no request explains', async () => {
    const li = itemTexts('U3');
    const line = (resourceName: string) => li.find((x) => x.startsWith(`*${resourceName}*`))!;
    expect(line('Repo')).toContain('Suggested: revoke — no sign-in for 152 days');
    expect(line('Payroll')).toContain('Suggested: revoke — no sign-in for 152 days');
    expect(line('CRM')).not.toContain('Suggested: revoke');
    expect(itemTexts('U8').find((x) => x.startsWith('*Payroll*'))).toContain('Suggested: revoke — never signed in');
    expect(line('Wiki')).toContain('Unusual: 1 of 6 in Sales have this');
    expect(line('CRM')).not.toContain('Unusual');
    expect(line('CRM')).not.toContain('Granted outside a request');
    expect(line('Wiki')).toContain('Granted outside a request');
    const wiki = await itemIn(second, 'u9', 'g3');
    expect(wiki.hints).toMatchObject({ unusual: { holders: 1, peers: 6, department: 'Sales' }, outsideRequest: true, suggestRevoke: null });
  });

  it('orders ann’s items: suggested revokes, then privileged, then new, then the rest', async () => {
    // By system and resource within a rank (github before okta); svc-ci's CRM comes last, in its own section.
    const names = itemTexts('U3').map((x) => /^\*([^*]+)\*/.exec(x)![1]);
    expect(names).toEqual(['Repo', 'Payroll', 'Admin', 'Wiki', 'CRM', 'CRM']);
  });

  it('keeps every DM page within Block Kit limits', () => {
    for (const u of ['U1', 'U3', 'U8']) for (const page of dm(u)) expect(messageBlockErrors(page.blocks)).toEqual([]);
  });
});

describe('accounts that belong to no person', () => {
  it('go to the account’s owner, else the resource’s owner, in their own section of the DM', async () => {
    const ci = await itemIn(second, 'svc1', 'g1');
    expect(ci).toMatchObject({ reviewerId: people.li!.id, fallbackReason: null });
    expect(ci.hints?.ownerless).toEqual({ ownerSource: 'account' });
    const old = await itemIn(second, 'svc2', 'g4');
    expect(old).toMatchObject({ reviewerId: people.comp!.id, fallbackReason: 'orphaned account (no person)' });
    expect(old.hints?.ownerless).toEqual({ ownerSource: 'resource' });
    expect((await itemIn(second, 'u9', 'g1')).hints?.ownerless).toBeNull();

    const text = allText('U3');
    expect(text).toContain('Accounts without a person');
    // After the people's items, and before svc-ci's.
    expect(text.indexOf('Accounts without a person')).toBeGreaterThan(text.indexOf('*Wiki*'));
    expect(text.indexOf('Accounts without a person')).toBeLessThan(text.indexOf('svc-ci'));
    expect(allText('U8')).toContain('Accounts without a person');
    expect(allText('U1')).not.toContain('Accounts without a person');
  });
});

describe('each decision records the suggestion shown', () => {
  const click = (userId: string, actionId: string, value: string) =>
    s.slack.action({ userId, actionId, value, channelId: `D${userId.slice(1)}`, messageTs: dm(userId)[0]?.ts, responseUrl: s.fake.responseUrl(`${userId}-${Math.random()}`) });
  const decided = async (itemId: string) =>
    until(async () => (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'review.decided'))).find((e) => e.subject.item === itemId)?.payload);

  it('an approval against a suggested revoke did not follow it; a revoke did; an item with no suggestion records none', async () => {
    const repo = await itemIn(second, 'u9gh', 'r1');
    expect((await click('U3', ACTION.reviewApprove, repo.id)).status).toBe(200);
    expect(await decided(repo.id)).toMatchObject({ decision: 'approved', suggestion: 'revoke — no sign-in for 152 days', followedSuggestion: false });

    const payroll = await itemIn(second, 'u9gh', 'g4');
    expect((await click('U3', ACTION.reviewRevoke, payroll.id)).status).toBe(200);
    const opened = await s.fake.waitFor('views.open');
    const meta = (opened.body.view as { private_metadata: string }).private_metadata;
    const submitted = await s.slack.viewSubmission({
      userId: 'U3',
      callbackId: CALLBACK.revokeReason,
      privateMetadata: meta,
      values: { [BLOCK.revokeReason]: { value: { type: 'plain_text_input', value: 'unused since May' } }, [BLOCK.revokeTiming]: { value: { type: 'radio_buttons', selected_option: { value: 'now' } } } },
    });
    expect(submitted.status).toBe(200);
    expect(await decided(payroll.id)).toMatchObject({ decision: 'revoked', suggestion: 'revoke — no sign-in for 152 days', followedSuggestion: true });

    // "Approve all for ann": bulk approvals record that no suggestion was shown for the rest.
    expect((await click('U3', ACTION.reviewApprovePerson, `${second.id}:${people.ann!.id}`)).status).toBe(200);
    const crm = await itemIn(second, 'u9', 'g1');
    expect(await decided(crm.id)).toMatchObject({ decision: 'approved', bulk: true, suggestion: null, followedSuggestion: null });
  });
});
