import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { draftCampaign } from '../factories/campaign.js';
import { launchCampaign } from '../../src/domain/reviews/launch-campaign.js';
import { assignReviewer } from '../../src/domain/reviews/assign-reviewer.js';
import type { PeopleIndex } from '../../src/domain/reviews/load-people-index.js';
import { USABLE_STATUSES, type AccountStatus } from '../../src/connectors/types.js';
import { accessGrant, accessRequest, account, person, personRole, resource, reviewItem } from '../../src/db/schema/index.js';
import type { CampaignScope } from '../../src/db/schema/index.js';

/**
 * Launch routes most grants in SQL (the rule's first choice, when nothing needs explaining)
 * and the rest through `assignReviewer`. This checks the split against the plain rule: an
 * awkward org (loops, leavers, people without Slack, approvals recorded every way an actor can
 * be written, owners by id, email and alias, orphaned and suspended accounts) is launched under
 * both rules and several scopes, and every item must have the reviewer and reason that
 * `assignReviewer` gives with the whole directory in memory, as launches used to do.
 */
let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
const uuid = (n: number, kind: string) => `${kind}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const PEOPLE = 120;
beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  const at = new Date('2026-09-01T00:00:00Z');
  const people = Array.from({ length: PEOPLE }, (_, i) => ({
    id: uuid(i, 'a'),
    email: `p${i}@org.test`,
    name: i % 17 === 0 ? '' : `Person ${i}`,
    department: pick(['Eng', 'Sales', null]),
    status: i > 2 && i % 11 === 0 ? ('terminated' as const) : ('active' as const),
    slackUserId: i > 2 && i % 7 === 0 ? null : `U${i}`,
    aliases: i % 13 === 0 ? [`Alias${i}@Old.test`] : [],
  }));
  await t.db.insert(person).values(people);
  for (let i = 0; i < PEOPLE; i++) {
    // Mostly a tree, with people without a manager, managing themselves, and in pairs.
    const managerId = i === 0 || i % 19 === 0 ? null : i % 23 === 0 ? uuid(i, 'a') : i % 29 === 0 ? uuid(i - 1, 'a') : uuid(Math.floor(rand() * i), 'a');
    await t.db.update(person).set({ managerId }).where(eq(person.id, uuid(i, 'a')));
  }
  await t.db.update(person).set({ managerId: uuid(29 * 2, 'a') }).where(eq(person.id, uuid(29 * 2 - 1, 'a')));
  await t.db.insert(personRole).values([
    { personId: uuid(1, 'a'), role: 'admin', grantedBy: 'test' },
    { personId: uuid(2, 'a'), role: 'admin', grantedBy: 'test' },
  ]);
  const resources = Array.from({ length: 25 }, (_, j) => ({
    id: uuid(j, 'b'),
    source: 'okta',
    system: j % 3 === 0 ? 'github' : 'okta',
    externalId: `r${j}`,
    kind: 'group' as const,
    name: `Resource ${j}`,
    privileged: j % 4 === 0,
    ownerId: j % 5 === 0 ? uuid(Math.floor(rand() * PEOPLE), 'a') : null,
    ownerEmail: j % 5 === 1 ? `P${Math.floor(rand() * PEOPLE)}@ORG.test` : j % 5 === 2 ? 'alias13@old.test' : j % 5 === 3 ? 'gone@org.test' : null,
    removedAt: j === 24 ? at : null,
    firstSeenAt: at,
    lastSeenAt: at,
  }));
  await t.db.insert(resource).values(resources);
  const accounts = Array.from({ length: PEOPLE + 10 }, (_, i) => ({
    id: uuid(i, 'c'),
    source: 'okta',
    system: 'okta',
    externalId: `u${i}`,
    login: i < PEOPLE ? `p${i}@org.test` : `svc-${i}`,
    email: i < PEOPLE && i % 3 === 0 ? `p${i}@org.test` : null,
    displayName: i % 5 === 0 ? null : `Account ${i}`,
    status: i % 31 === 0 ? 'suspended' : 'active',
    lastLoginAt: i % 2 === 0 ? new Date(at.getTime() - i * 3_600_123) : null,
    personId: i < PEOPLE ? uuid(i, 'a') : null,
    firstSeenAt: at,
    lastSeenAt: at,
  }));
  await t.db.insert(account).values(accounts);
  const grants: (typeof accessGrant.$inferInsert)[] = [];
  let g = 0;
  for (const a of accounts) {
    for (const r of new Set([pick(resources), pick(resources), pick(resources)])) {
      grants.push({ id: uuid(g++, 'd'), source: 'okta', accountId: a.id, resourceId: r.id, via: 'direct', privileged: g % 9 === 0, firstSeenAt: at, lastSeenAt: at });
    }
  }
  await t.db.insert(accessGrant).values(grants);
  const actorOf = (i: number) => pick([`person:${uuid(i, 'a')}`, `slack:U${i}`, `p${i}@org.test`, `P${i}@Org.Test`, uuid(i, 'a'), `alias${i}@old.test`, 'system', 'cli:root', `person:nobody`]);
  const requests = grants.filter((_, k) => k % 4 === 0).map((gr) => {
    const owner = accounts.find((a) => a.id === gr.accountId)!;
    const managerish = Math.floor(rand() * PEOPLE);
    return {
      kind: 'grant' as const,
      status: 'done' as const,
      subjectPersonId: owner.personId,
      grantId: gr.id!,
      requestedBy: 'test',
      approvedBy: rand() < 0.8 ? actorOf(managerish) : null,
      carriedOutBy: rand() < 0.5 ? actorOf(Math.floor(rand() * PEOPLE)) : null,
      createdAt: at,
    };
  });
  await t.db.insert(accessRequest).values(requests);
}, 120_000);
afterAll(async () => {
  await t.drop();
});

/** The directory in memory, as launches used to load it, with approvals resolved the same way. */
async function oracle(rule: 'manager' | 'owner', campaignOwnerId: string) {
  const rows = await t.db.select().from(person);
  const people: PeopleIndex = { byId: new Map(), byEmail: new Map(), bySlackId: new Map() };
  for (const p of rows) {
    people.byId.set(p.id, { id: p.id, name: p.name, email: p.email, department: p.department, managerId: p.managerId, slackUserId: p.slackUserId, status: p.status });
    for (const a of p.aliases) people.byEmail.set(a.toLowerCase(), p.id);
    if (p.slackUserId) people.bySlackId.set(p.slackUserId, p.id);
  }
  for (const p of rows) people.byEmail.set(p.email.toLowerCase(), p.id);
  const resolve = (actor: string): string | null => {
    const [kind, rest] = actor.includes(':') ? [actor.slice(0, actor.indexOf(':')), actor.slice(actor.indexOf(':') + 1)] : ['', actor];
    if (kind === 'person') return people.byId.has(rest) ? rest : null;
    if (kind === 'slack') return people.bySlackId.get(rest) ?? null;
    if (kind) return null;
    if (people.byId.has(rest)) return rest;
    return people.byEmail.get(rest.toLowerCase()) ?? null;
  };
  const approversOf = new Map<string, Set<string>>();
  for (const r of await t.db.select().from(accessRequest)) {
    for (const actor of [r.approvedBy, r.carriedOutBy]) {
      const id = actor ? resolve(actor) : null;
      if (id && r.grantId) approversOf.set(r.grantId, (approversOf.get(r.grantId) ?? new Set()).add(id));
    }
  }
  const admins = (await t.db.select().from(personRole).orderBy(personRole.grantedAt, personRole.personId)).map((r) => r.personId);
  const ctx = { rule, campaignOwnerId, adminIds: admins, people, approversOf };
  const grants = await t.db
    .select({ g: accessGrant, a: account, r: resource })
    .from(accessGrant)
    .innerJoin(account, eq(account.id, accessGrant.accountId))
    .innerJoin(resource, eq(resource.id, accessGrant.resourceId));
  return (scope: CampaignScope) => {
    const out: Record<string, { reviewer: string; reason: string | null }> = {};
    for (const { g, a, r } of grants) {
      const subject = a.personId ? people.byId.get(a.personId) : undefined;
      if (a.removedAt || !USABLE_STATUSES.includes(a.status as AccountStatus) || r.removedAt) continue;
      if (scope.systems?.length && !scope.systems.includes(r.system)) continue;
      if (scope.resourceIds?.length && !scope.resourceIds.includes(r.id)) continue;
      if (scope.privilegedOnly && !(g.privileged || r.privileged)) continue;
      if (scope.personIds?.length && (!subject || !scope.personIds.includes(subject.id))) continue;
      if (scope.departments?.length && subject && !scope.departments.includes(subject.department ?? '')) continue;
      const ownerId = r.ownerId ?? (r.ownerEmail ? (people.byEmail.get(r.ownerEmail.toLowerCase()) ?? null) : null);
      const res = assignReviewer(ctx, { grantId: g.id, subjectId: subject?.id ?? null, resourceOwnerId: ownerId, resourceName: r.name });
      out[g.id] = { reviewer: res.reviewerId, reason: res.reason };
    }
    return out;
  };
}

const scopes: [string, CampaignScope][] = [
  ['everything', {}],
  ['one system', { systems: ['github'] }],
  ['privileged only', { privilegedOnly: true }],
  ['a department', { departments: ['Sales'] }],
  ['named people', { personIds: [uuid(5, 'a'), uuid(23, 'a'), uuid(58, 'a')] }],
  ['named resources, privileged, one department', { resourceIds: [uuid(0, 'b'), uuid(4, 'b'), uuid(24, 'b')], privilegedOnly: true, departments: ['Eng'] }],
];

describe('routing in SQL and in assignReviewer agree', () => {
  for (const rule of ['manager', 'owner'] as const) {
    for (const [label, scope] of scopes) {
      it(`gives every item the reviewer and reason of assignReviewer (${rule} rule, ${label})`, async () => {
        const c = await draftCampaign(deps, { reviewerRule: rule, scope, ownerEmail: rule === 'owner' ? 'p7@org.test' : 'p1@org.test' });
        const expected = (await oracle(rule, c.ownerId))(scope);
        const dry = await launchCampaign(deps, { campaignId: c.id, actor: 'test', dryRun: true });
        const launched = await launchCampaign(deps, { campaignId: c.id, actor: 'test' });
        const items = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, c.id));
        const got = Object.fromEntries(items.map((i) => [i.grantId, { reviewer: i.reviewerId, reason: i.fallbackReason }]));
        expect(got).toEqual(expected);
        expect(Object.keys(expected).length).toBeGreaterThan(0);
        const { fallbacks, ...summary } = launched.summary;
        expect(dry.summary).toMatchObject(summary);
        expect(fallbacks).toEqual(dry.summary.fallbacks);
        expect(fallbacks).toHaveLength(Object.values(expected).filter((e) => e.reason).length);
        expect(items.filter((i) => i.snapshot.personId === i.reviewerId && i.reviewerId !== c.ownerId)).toEqual([]);
        // Every live grant is either in scope or excluded for one reason, never both or neither.
        const live = await t.db.select({ id: accessGrant.id }).from(accessGrant);
        const provenance = Object.values(launched.summary.provenance);
        expect(provenance.reduce((n, p) => n + p.liveGrants, 0)).toBe(live.length);
        expect(provenance.reduce((n, p) => n + p.inScope + Object.values(p.excluded).reduce((a, b) => a + b, 0), 0)).toBe(live.length);
      });
    }
  }

  it('freezes the same snapshot the reviewer would have seen', async () => {
    const c = await draftCampaign(deps);
    await launchCampaign(deps, { campaignId: c.id, actor: 'test' });
    // Person 34 has an empty name (the account's display name stands in) and a last login.
    const items = await t.db.select().from(reviewItem).where(sql`${reviewItem.campaignId} = ${c.id} and ${reviewItem.snapshot}->>'accountId' = ${uuid(34, 'c')}`);
    expect(items.length).toBeGreaterThan(0);
    const [p] = await t.db.select().from(person).where(eq(person.id, uuid(34, 'a')));
    const [m] = p!.managerId ? await t.db.select().from(person).where(eq(person.id, p!.managerId)) : [undefined];
    const [a] = await t.db.select().from(account).where(eq(account.id, uuid(34, 'c')));
    for (const item of items) {
      const [g] = await t.db.select().from(accessGrant).where(eq(accessGrant.id, item.grantId));
      const [r] = await t.db.select().from(resource).where(eq(resource.id, g!.resourceId));
      expect(item.snapshot).toEqual({
        personId: p!.id,
        personName: 'Account 34',
        personEmail: 'p34@org.test',
        department: p!.department,
        managerEmail: m?.email ?? null,
        system: r!.system,
        source: 'okta',
        accountId: a!.id,
        accountLogin: 'p34@org.test',
        accountStatus: 'active',
        resourceId: r!.id,
        resourceName: r!.name,
        resourceKind: 'group',
        via: 'direct',
        privileged: g!.privileged || r!.privileged,
        lastLoginAt: a!.lastLoginAt!.toISOString(),
      });
    }
  });
});
