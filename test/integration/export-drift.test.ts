import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { accessGrant, accessRequest, account, campaign, evidenceEvent, person, personRole, resource, reviewItem, type Campaign, type ItemSnapshot } from '../../src/db/schema/index.js';
import { ensureDriftCampaign } from '../../src/domain/drift/drift-campaign.js';
import { exportBundle } from '../../src/domain/evidence/export/export-bundle.js';
import { currentFindings } from '../../src/domain/evidence/findings/current-findings.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import { unzip } from '../factories/quarter.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * Unapproved access in the evidence bundle. The standing drift campaign is launched once (here
 * in 2026-Q3) and never closed; its items arrive in every quarter. A quarter's bundle holds the
 * items that belong to the quarter, whatever quarter the campaign was launched in:
 *
 * - A: seen and approved in Q3.
 * - B: seen in Q3, never decided (open through Q4).
 * - C: seen in Q4, revoked in Q4, removal done and verified in Q4.
 * - D: seen in Q3, approved in Q4.
 * - F: seen and revoked in Q3, removal verified by a sync in Q4.
 * - E: seen in 2027-Q1, never decided. G: seen a day before the export, never decided.
 *
 * Plus an ordinary campaign launched in Q4 with one decided item, for comparison.
 */
const EXPORT_AT = '2027-01-20T08:00:00.000Z';
const clock = fixedClock('2026-06-01T00:00:00Z');

let t: TestDatabase;
let dir: string;
let drift: Campaign;
let review: Campaign;
const item = {} as Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'R', string>;
const requestOf = {} as Record<'C' | 'F', string>;
const people = {} as Record<'olivia' | 'rita' | 'pat', string>;

type Row = Record<string, string>;
const csv = (files: Map<string, Buffer>, name: string): Row[] => parse(files.get(name)!.toString('utf8'), { columns: true }) as Row[];
const letters = (ids: (string | undefined)[]) => Object.entries(item).filter(([, id]) => ids.includes(id)).map(([k]) => k).sort();

const deps = (env: Record<string, string> = {}) => ({ ...testDeps(t.db, env), clock });
async function exportOf(period: Parameters<typeof exportBundle>[1]['period'], name: string, env: Record<string, string> = {}) {
  clock.set(EXPORT_AT);
  const res = await exportBundle(deps(env), { period, out: join(dir, name), actor: 'cli:test' });
  return unzip(res.file);
}

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'attest-drift-export-'));
  const firstSeen = new Date('2026-01-01T00:00:00Z');
  for (const [key, email] of [['olivia', 'olivia@acme.test'], ['rita', 'rita@acme.test'], ['pat', 'pat@acme.test']] as const) {
    const [row] = await t.db.insert(person).values({ email, name: key, source: 'okta', createdAt: firstSeen }).returning({ id: person.id });
    people[key] = row!.id;
  }
  await t.db.insert(personRole).values({ personId: people.olivia, role: 'admin', grantedBy: 'test' });
  const [acct] = await t.db
    .insert(account)
    .values({ source: 'okta', system: 'okta', externalId: 'okta-pat', login: 'pat@acme.test', email: 'pat@acme.test', status: 'active', personId: people.pat, firstSeenAt: firstSeen, lastSeenAt: firstSeen })
    .returning({ id: account.id });
  const grantFor = async (letter: string) => {
    const [res] = await t.db
      .insert(resource)
      .values({ source: 'okta', system: 'okta', externalId: `app-${letter}`, kind: 'app', name: `App ${letter}`, ownerId: people.rita, firstSeenAt: firstSeen, lastSeenAt: firstSeen })
      .returning({ id: resource.id });
    const [g] = await t.db.insert(accessGrant).values({ source: 'okta', accountId: acct!.id, resourceId: res!.id, firstSeenAt: firstSeen, lastSeenAt: firstSeen }).returning({ id: accessGrant.id });
    const snapshot: ItemSnapshot = {
      personId: people.pat, personName: 'pat', personEmail: 'pat@acme.test', department: null, managerEmail: null, system: 'okta', source: 'okta', accountLogin: 'pat@acme.test',
      accountStatus: 'active', resourceId: res!.id, resourceName: `App ${letter}`, resourceKind: 'app', via: 'direct', privileged: false, lastLoginAt: null, accountId: acct!.id,
    };
    return { grantId: g!.id, snapshot };
  };

  clock.set('2026-07-01T00:00:00Z');
  drift = (await t.db.transaction((tx) => ensureDriftCampaign(tx, clock.now())))!;
  const seen = async (letter: keyof typeof item, at: string) => {
    const { grantId, snapshot } = await grantFor(letter);
    const [row] = await t.db
      .insert(reviewItem)
      .values({ campaignId: drift.id, grantId, snapshot, reviewerId: people.rita, hints: { history: null, compared: false, suggestRevoke: null, unusual: null, outsideRequest: true, drift: { seenAt: at, syncRunId: crypto.randomUUID() } } })
      .returning({ id: reviewItem.id });
    item[letter] = row!.id;
  };
  await seen('F', '2026-07-01T10:00:00.000Z');
  await seen('A', '2026-08-01T10:00:00.000Z');
  await seen('B', '2026-08-10T10:00:00.000Z');
  await seen('D', '2026-09-20T10:00:00.000Z');
  await seen('C', '2026-11-05T10:00:00.000Z');
  await seen('E', '2027-01-10T10:00:00.000Z');
  await seen('G', '2027-01-19T08:00:00.000Z');

  const decide = async (letter: keyof typeof item, at: string, decision: 'approved' | 'revoked') => {
    clock.set(at);
    const r = await decideItem(deps(), { itemId: item[letter], decision, reason: decision === 'revoked' ? 'not needed' : null, actorPersonId: people.rita });
    return r.outcome === 'recorded' ? r.requestId : null;
  };
  requestOf.F = (await decide('F', '2026-07-02T10:00:00.000Z', 'revoked'))!;
  await t.db.update(accessRequest).set({ status: 'done', doneAt: new Date('2026-07-03T10:00:00Z') }).where(eq(accessRequest.id, requestOf.F));
  await decide('A', '2026-08-02T10:00:00.000Z', 'approved');
  await t.db.update(accessRequest).set({ status: 'verified', verifiedAt: new Date('2026-10-02T10:00:00Z') }).where(eq(accessRequest.id, requestOf.F));
  await decide('D', '2026-10-03T10:00:00.000Z', 'approved');

  // An ordinary campaign launched in Q4, with one item decided in it.
  clock.set('2026-10-05T09:00:00Z');
  review = (
    await t.db
      .insert(campaign)
      .values({ name: 'Q4 review', ownerId: people.olivia, status: 'launched', dueAt: new Date('2026-10-31T00:00:00Z'), createdBy: 'test', createdAt: clock.now(), launchedAt: clock.now() })
      .returning()
  )[0]!;
  const reviewed = await grantFor('R');
  const [r] = await t.db.insert(reviewItem).values({ campaignId: review!.id, grantId: reviewed.grantId, snapshot: reviewed.snapshot, reviewerId: people.rita }).returning({ id: reviewItem.id });
  item.R = r!.id;
  await decide('R', '2026-10-06T10:00:00.000Z', 'approved');

  requestOf.C = (await decide('C', '2026-11-06T10:00:00.000Z', 'revoked'))!;
  await t.db.update(accessRequest).set({ status: 'verified', doneAt: new Date('2026-11-07T10:00:00Z'), verifiedAt: new Date('2026-11-08T10:00:00Z') }).where(eq(accessRequest.id, requestOf.C));
});
afterAll(async () => {
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('unapproved access in a quarter bundle', () => {
  let q4: Map<string, Buffer>;
  let q3: Map<string, Buffer>;
  let whole: Map<string, Buffer>;
  beforeAll(async () => {
    q4 = await exportOf({ quarter: '2026-Q4' }, 'q4.zip');
    q3 = await exportOf({ quarter: '2026-Q3' }, 'q3.zip');
    whole = await exportOf({ campaignId: drift.id }, 'drift.zip');
  });

  it('a later quarter holds the drift items seen in it, open at its start, or decided or removed in it', () => {
    expect(JSON.parse(q4.get('manifest.json')!.toString('utf8')).parameters.campaigns.sort()).toEqual([drift.id, review.id].sort());
    const pop = csv(q4, 'population.csv').filter((r) => r.campaign_id === drift.id);
    expect(letters(pop.map((r) => r.item_id))).toEqual(['B', 'C', 'D', 'F']);
    const decisions = csv(q4, 'decisions.csv').filter((r) => r.campaign_id === drift.id);
    expect(letters(decisions.map((r) => r.item_id))).toEqual(['B', 'C', 'D', 'F']);
    expect(decisions.find((r) => r.item_id === item.D)).toMatchObject({ decision: 'approved', decided_at: '2026-10-03T10:00:00.000Z', reviewer_email: 'rita@acme.test' });
    const remediation = csv(q4, 'remediation.csv').filter((r) => r.campaign_id === drift.id);
    expect(remediation.map((r) => r.request_id).sort()).toEqual([requestOf.C, requestOf.F].sort());
    expect(remediation.find((r) => r.request_id === requestOf.F)).toMatchObject({ status: 'verified', verified_at: '2026-10-02T10:00:00.000Z' });
    const reconciled = csv(q4, 'reconciliation.csv').filter((r) => r.campaign_id === drift.id && r.measure === 'review_items');
    expect(reconciled.map((r) => r.count)).toEqual(['4']);
  });

  it('the quarter the campaign was launched in leaves out the items of later quarters', () => {
    const pop = csv(q3, 'population.csv');
    expect(letters(pop.map((r) => r.item_id))).toEqual(['A', 'B', 'D', 'F']);
    expect(letters(csv(q3, 'decisions.csv').map((r) => r.item_id))).toEqual(['A', 'B', 'D', 'F']);
    // D was decided in Q4, after this quarter; the bundle shows its outcome as of the export, as for any campaign.
    expect(csv(q3, 'remediation.csv').map((r) => r.request_id)).toEqual([requestOf.F]);
  });

  it('decisions.csv says a decision on unapproved access came after the fact, as its review.decided event does', async () => {
    const decisions = csv(q4, 'decisions.csv');
    const header = q4.get('decisions.csv')!.toString('utf8').split('\r\n')[0]!.split(',');
    expect(header.at(-1)).toBe('after_the_fact');
    expect(header.slice(0, 3)).toEqual(['campaign_id', 'campaign', 'item_id']);
    const of = (id: string) => decisions.find((r) => r.item_id === id)!.after_the_fact;
    expect([of(item.C), of(item.D), of(item.F)]).toEqual(['yes', 'yes', 'yes']);
    expect(of(item.R)).toBe('no');
    expect(of(item.B)).toBe('');
    const [event] = await t.db.select().from(evidenceEvent).where(and(eq(evidenceEvent.action, 'review.decided'), sql`${evidenceEvent.subject}->>'item' = ${item.D}`));
    expect(event!.payload).toMatchObject({ afterTheFact: true });
  });

  it('report.html shows the standing campaign as such, with no due date of 9999', () => {
    for (const bundle of [q3, q4]) {
      const html = bundle.get('report.html')!.toString('utf8');
      expect(html).toContain('Unapproved access <span class="muted">(standing unapproved-access campaign)</span>');
      expect(html).toContain('never due');
      expect(html).not.toContain('9999');
      expect(html).not.toMatch(/Campaign “Unapproved access” (launched|due)/);
    }
    expect(q4.get('report.html')!.toString('utf8')).toContain('Campaign “Q4 review” launched');
  });

  it('asks no sign-off of drift reviewers: none in signoffs.csv, no signoff_missing finding about it', () => {
    expect(csv(whole, 'signoffs.csv')).toEqual([]);
    expect(csv(q3, 'signoffs.csv')).toEqual([]);
    expect(csv(q4, 'signoffs.csv').map((r) => r.campaign_id)).toEqual([review.id]);
    for (const bundle of [whole, q3, q4]) expect(csv(bundle, 'findings.csv').filter((f) => f.type === 'signoff_missing' && f.detail?.includes('Unapproved access'))).toEqual([]);
  });

  it('a quarter the drift campaign has nothing in leaves it out', async () => {
    const q2 = await exportOf({ quarter: '2026-Q2' }, 'q2.zip');
    expect(JSON.parse(q2.get('manifest.json')!.toString('utf8')).parameters.campaigns).toEqual([]);
    expect(csv(q2, 'population.csv')).toEqual([]);
  });

  it('a campaign export of the drift campaign keeps every item up to now', () => {
    expect(letters(csv(whole, 'population.csv').map((r) => r.item_id))).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect(whole.get('report.html')!.toString('utf8')).not.toContain('9999');
  });
});

describe('the unapproved_access finding in the bundle', () => {
  const flagged = (files: Map<string, Buffer>) => csv(files, 'findings.csv').filter((f) => f.type === 'unapproved_access').map((f) => f.evidence ?? '');

  it('follows DRIFT_DECISION_DAYS, as `attest findings` does', async () => {
    // G appeared a day before the export: not yet a finding after the default 7 days…
    expect(flagged(await exportOf({ quarter: '2027-Q1' }, 'q1-default.zip'))).not.toContain(`item:${item.G}`);
    // …but at once with 0.
    const atOnce = flagged(await exportOf({ quarter: '2027-Q1' }, 'q1-zero.zip', { DRIFT_DECISION_DAYS: '0' }));
    expect(atOnce).toContain(`item:${item.G}`);
    const cli = await currentFindings(deps({ DRIFT_DECISION_DAYS: '0' }), { quarter: '2027-Q1' });
    expect(cli.findings.filter((f) => f.type === 'unapproved_access').map((f) => f.evidence[0]).sort()).toEqual([...atOnce].sort());
    expect(letters(atOnce.map((e) => e.replace('item:', '')))).toEqual(['B', 'E', 'G']);
  });

  it('a past quarter does not report access that appeared after it', async () => {
    expect(letters(flagged(await exportOf({ quarter: '2026-Q4' }, 'q4-findings.zip')).map((e) => e.replace('item:', '')))).toEqual(['B']);
  });
});
