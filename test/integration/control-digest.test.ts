import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, systemClock } from '../../src/clock.js';
import { evidenceEvent, jobSlot, outbox } from '../../src/db/schema/index.js';
import { computeControlFigures } from '../../src/domain/controls/compute-control-figures.js';
import { rowsOf } from '../../src/domain/reviews/rows-of.js';
import { DIGEST_ACTION, writeControlDigest } from '../../src/domain/controls/write-control-digest.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';
import { exportBundle } from '../../src/domain/evidence/export/export-bundle.js';
import { controlDigestJob } from '../../src/jobs/control-digest-job.js';
import { startOutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { deliveryClient } from '../../src/slack/delivery/delivery-client.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { unzip } from '../factories/quarter.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * The weekly control digest: its figures against a small org whose answers are known, the
 * trend against the digest before it, one message per slot to the compliance channel however
 * many replicas race for it, and report.html's "Controls over the period" from the same module.
 */
const CHANNEL = 'C0COMPLY';
const DIGEST_AT = '2026-12-07T09:00:00.000Z'; // a Monday; the first digest covers the week before
let t: TestDatabase;
let fake: FakeSlack;
let dir: string;
const clock = fixedClock(DIGEST_AT);
const deps = () => ({ ...testDeps(t.db, { COMPLIANCE_CHANNEL: CHANNEL, OFFBOARDING_SLA_HOURS: '24' }), clock });
const ids: Record<string, string> = {};

async function insert(table: string, row: Record<string, unknown>): Promise<string> {
  const cols = Object.keys(row);
  const vals = cols.map((c) => {
    const v = row[c];
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean' || typeof v === 'number') return String(v);
    if (Array.isArray(v)) return `array[${v.map((x) => `'${String(x)}'`).join(',')}]::uuid[]`;
    if (typeof v === 'object') return `'${JSON.stringify(v)}'::jsonb`;
    return `'${String(v).replace(/'/g, "''")}'`;
  });
  const res = await t.db.execute(sql.raw(`insert into ${table} (${cols.join(', ')}) values (${vals.join(', ')}) returning id::text as id`));
  return rowsOf<{ id: string }>(res)[0]!.id;
}

const BASELINE = '2026-11-01T00:00:00Z';
const IN_PERIOD = '2026-12-02T12:00:00Z';

/**
 * Four active accounts (2 with MFA, 1 without and privileged, 1 the source says nothing of);
 * four grants new in the week (by request, birthright, an after-the-fact approval, and one
 * nobody approved, still pending in a drift campaign); three leavers (removed in 10 h, in 30 h,
 * not yet); a campaign past due with one reviewer behind, one on time, one closed on time.
 */
async function seedOrg(): Promise<void> {
  const person = (name: string, extra: Record<string, unknown> = {}) => insert('person', { email: `${name}@example.com`, name, department: 'eng', title: 'Engineer', ...extra });
  for (const n of ['alice', 'bob', 'dave', 'erin', 'carol', 'frank', 'gina']) ids[n] = await person(n);
  const account = (name: string, mfa: boolean | null, extra: Record<string, unknown> = {}) =>
    insert('account', { source: 'okta', system: 'okta', external_id: `u-${name}`, login: `${name}@example.com`, status: 'active', person_id: ids[name], mfa_enrolled: mfa, first_seen_at: BASELINE, last_seen_at: DIGEST_AT, ...extra });
  ids.aAlice = await account('alice', true);
  ids.aBob = await account('bob', false);
  ids.aDave = await account('dave', null);
  ids.aErin = await account('erin', true);
  // A leaver's account, gone: not an active account, whatever its MFA.
  ids.aCarol = await account('carol', false, { status: 'deprovisioned', removed_at: '2026-12-01T20:00:00Z' });
  const resource = (name: string, privileged = false) => insert('resource', { source: 'okta', system: 'okta', external_id: `r-${name}`, kind: 'app', name, privileged, first_seen_at: BASELINE, last_seen_at: DIGEST_AT });
  ids.rAdmin = await resource('Admin', true);
  ids.rWiki = await resource('Wiki');
  ids.rCrm = await resource('CRM');
  ids.rJira = await resource('Jira');
  const grant = (acc: string, res: string, firstSeen: string, privileged = false) =>
    insert('access_grant', { source: 'okta', account_id: ids[acc], resource_id: ids[res], privileged, first_seen_at: firstSeen, last_seen_at: DIGEST_AT });
  ids.gBaseline = await grant('aBob', 'rAdmin', BASELINE, true); // the baseline: not granted in the period
  await grant('aDave', 'rWiki', '2026-11-20T00:00:00Z'); // new, but the week before
  ids.gRequested = await grant('aAlice', 'rWiki', IN_PERIOD);
  ids.gBirthright = await grant('aAlice', 'rCrm', IN_PERIOD);
  ids.gUnapproved = await grant('aDave', 'rJira', IN_PERIOD);
  ids.gLateApproval = await grant('aErin', 'rWiki', IN_PERIOD);
  await insert('access_request', { kind: 'grant', status: 'done', subject_person_id: ids.alice, resource_id: ids.rWiki, requested_by: 'alice@example.com', created_at: '2026-12-01T12:00:00Z' });
  await insert('access_template', { name: 'Engineers', department: 'eng', resource_ids: [ids.rCrm], created_by: 'cli:test', created_at: BASELINE });

  const campaign = (name: string, kind: string, v: Record<string, unknown>) => insert('campaign', { name, kind, owner_id: ids.erin, created_by: 'cli:test', created_at: '2026-11-01T00:00:00Z', status: 'launched', ...v });
  const item = (campaignId: string, grantId: string, reviewer: string, decision = 'pending', decidedAt: string | null = null) =>
    insert('review_item', { campaign_id: campaignId, grant_id: grantId, snapshot: {}, reviewer_id: ids[reviewer], decision, decided_at: decidedAt, decided_by: decidedAt ? ids[reviewer] : null });
  const drift = await campaign('Unapproved access', 'drift', { launched_at: BASELINE, due_at: '2027-12-31T00:00:00Z' });
  await item(drift, ids.gUnapproved!, 'erin');
  await item(drift, ids.gLateApproval!, 'alice', 'approved', '2026-12-03T10:00:00Z');
  ids.overdue = await campaign('Q4 review', 'periodic', { launched_at: '2026-11-15T00:00:00Z', due_at: '2026-12-01T00:00:00Z' });
  await item(ids.overdue, ids.gRequested!, 'dave');
  await item(ids.overdue, ids.gBirthright!, 'dave');
  await item(ids.overdue, ids.gBaseline!, 'erin', 'approved', '2026-11-30T10:00:00Z');
  await campaign('Admins', 'periodic', { launched_at: '2026-11-20T00:00:00Z', due_at: '2026-12-20T00:00:00Z' });
  await campaign('Finance', 'periodic', { status: 'closed', launched_at: '2026-11-10T00:00:00Z', due_at: '2026-12-03T00:00:00Z', closed_at: '2026-12-02T00:00:00Z' });
  await campaign('Old', 'periodic', { status: 'closed', launched_at: '2026-10-01T00:00:00Z', due_at: '2026-10-20T00:00:00Z', closed_at: '2026-10-19T00:00:00Z' });

  const offboard = (who: string, effective: string, status: string) =>
    insert('access_request', { kind: 'offboard', status, subject_person_id: ids[who], requested_by: 'hr', effective_at: effective, created_at: effective });
  const removal = (caseId: string, status: string, verifiedAt: string | null) =>
    insert('access_request', { kind: 'revoke', status, parent_id: caseId, subject_person_id: null, requested_by: 'hr', created_at: '2026-12-01T10:00:00Z', verified_at: verifiedAt });
  const carol = await offboard('carol', '2026-12-01T10:00:00Z', 'verified');
  await removal(carol, 'verified', '2026-12-01T16:00:00Z');
  await removal(carol, 'verified', '2026-12-01T20:00:00Z'); // the last: 10 h after effect
  const frank = await offboard('frank', '2026-12-03T00:00:00Z', 'verified');
  await removal(frank, 'verified', '2026-12-04T06:00:00Z'); // 30 h: past the 24-hour SLA
  const gina = await offboard('gina', '2026-12-05T00:00:00Z', 'in_progress');
  await removal(gina, 'done', null); // carried out, no sync has seen it gone yet
  await insert('access_request', { kind: 'revoke', status: 'in_progress', subject_person_id: ids.bob, resource_id: ids.rAdmin, requested_by: 'erin@example.com', created_at: '2026-12-06T10:00:00Z' });
}

/** Runs the real outbox worker against the fake Slack until nothing is due. */
async function deliver(): Promise<void> {
  // After every digest of the test, whose fixed clock runs ahead of the real one.
  const d = { ...deps(), clock: fixedClock('2027-01-01T00:00:00Z') };
  const worker = startOutboxWorker(d, { slack: deliveryClient({ token: 'xoxb-test', apiUrl: fake.apiUrl }, d.logger), renderers: RENDERERS, idleMs: 25, channelIntervalMs: 0, workspacePerSecond: 200 });
  try {
    await worker.idle();
  } finally {
    await worker.stop();
  }
}

const digestEvents = () => t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, DIGEST_ACTION)).orderBy(asc(evidenceEvent.seq));
const textOf = (m: { blocks?: unknown[] }) => JSON.stringify(m.blocks ?? []);

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeSlack({ channels: [CHANNEL] });
  dir = await mkdtemp(join(tmpdir(), 'attest-digest-'));
  await seedOrg();
});
afterAll(async () => {
  await fake.close();
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('weekly control digest', () => {
  it('computes each control from the database for the week before the first digest', async () => {
    const figures = await computeControlFigures(t.db, { from: new Date('2026-11-30T09:00:00Z'), to: new Date(DIGEST_AT), slaHours: 24 });
    expect(figures.mfa).toEqual({ active: 4, enrolled: 2, notEnrolled: 1, unknown: 1, privilegedWithout: 1 });
    expect(figures.provisioning).toEqual({ newGrants: 4, approved: 3, unapprovedOpen: 1 });
    expect(figures.removals).toEqual({ leavers: 3, withinSla: 1, late: 1, open: 1, slaHours: 24, hours: [10, 30], awaitingVerification: 2 });
    expect(figures.reviews).toEqual({ campaigns: 3, onSchedule: 2, overdueReviewers: 1, overdueItems: 2 });
  });

  it('posts the first digest to the compliance channel with no trend, and keeps its figures as evidence', async () => {
    const d = await writeControlDigest(deps(), { actor: 'job:control-digest' });
    expect(d.previous).toBeNull();
    expect(d.figures).toMatchObject({ from: '2026-11-30T09:00:00.000Z', to: DIGEST_AT, mfa: { enrolled: 2, active: 4 } });
    const [event] = await digestEvents();
    expect(event).toMatchObject({ seq: d.seq, actor: 'job:control-digest', payload: expect.objectContaining({ provisioning: { newGrants: 4, approved: 3, unapprovedOpen: 1 } }) });

    await deliver();
    const [message, ...more] = fake.state.messages.get(CHANNEL) ?? [];
    expect(more).toHaveLength(0);
    const text = textOf(message!);
    expect(text).toContain('Weekly control digest');
    expect(text).toContain('first digest: no trend yet');
    expect(text).toContain('*CC6.1 MFA:* 50% of 4 active accounts enrolled; 1 not reported by their source');
    expect(text).toContain('*Privileged accounts without MFA:* 1');
    expect(text).toContain('*CC6.2 provisioning:* 75% of 4 new grants had an approval behind them');
    expect(text).toContain('*Unapproved grants still undecided:* 1');
    expect(text).toContain('3 leavers: 1 fully removed within the 24-hour SLA, 1 late, 1 not yet');
    expect(text).toContain('*Hours to full removal:* 10 h, 30 h');
    expect(text).toContain('*Revocations awaiting verification:* 2');
    expect(text).toContain('*Reviews:* 2 of 3 campaigns on schedule');
    expect(text).toContain('*Overdue reviewers:* 1 (2 items past due)');
    expect(text).toContain('attest findings');
    expect(text).not.toContain('since the last digest');
  });

  it('the next digest covers the time since the last one and shows the trend against it', async () => {
    // During the week: Bob enrols in MFA, Dave decides his overdue items.
    await t.raw(`update account set mfa_enrolled = true where id = '${ids.aBob}'`);
    await t.raw(`update review_item set decision = 'approved', decided_by = reviewer_id, decided_at = '2026-12-08T10:00:00Z' where campaign_id = '${ids.overdue}' and decision = 'pending'`);
    clock.set('2026-12-14T09:00:00Z');
    const d = await writeControlDigest(deps(), { actor: 'job:control-digest' });
    expect(d.figures.from).toBe(DIGEST_AT);
    expect(d.previous).toMatchObject({ to: DIGEST_AT, mfa: { enrolled: 2 } });
    expect(d.figures.mfa).toMatchObject({ enrolled: 3, privilegedWithout: 0 });
    expect(d.figures.provisioning).toEqual({ newGrants: 0, approved: 0, unapprovedOpen: 1 });
    expect(d.figures.reviews).toMatchObject({ overdueReviewers: 0, overdueItems: 0 });
    expect(d.figures.removals).toMatchObject({ leavers: 0, awaitingVerification: 2 });

    fake.state.messages.clear();
    await deliver();
    const [message, ...more] = fake.state.messages.get(CHANNEL) ?? [];
    expect(more).toHaveLength(0);
    const text = textOf(message!);
    expect(text).toContain('75% of 4 active accounts enrolled (+25 pts since the last digest)');
    expect(text).toContain('*Privileged accounts without MFA:* 0 (−1 since the last digest)');
    expect(text).toContain('*CC6.2 provisioning:* no new grants in the period');
    expect(text).toContain('*Unapproved grants still undecided:* 1 (unchanged)');
    expect(text).toContain('*Overdue reviewers:* 0 (−1 since the last digest)');
    expect(await verifyChain(t.db)).toMatchObject({ ok: true });
  });

  it(`two schedulers racing for the same slots post one message per slot`, async () => {
    fake.state.messages.clear();
    const before = (await digestEvents()).length;
    // Every second instead of Mondays at 9, so that a few slots pass while the test runs.
    const d = { ...deps(), clock: systemClock };
    const job = { ...controlDigestJob(d), schedule: '* * * * * *' };
    expect(controlDigestJob(d).schedule).toBe('0 9 * * 1');
    const a = startScheduler(d, [job]);
    const b = startScheduler(d, [job]);
    await new Promise((r) => setTimeout(r, 2500));
    await Promise.all([a.stop(), b.stop()]);
    // A run claimed just before stop may still be finishing.
    await new Promise((r) => setTimeout(r, 300));

    const slots = await t.db.select().from(jobSlot).where(eq(jobSlot.job, 'control-digest'));
    const digests = (await digestEvents()).length - before;
    expect(slots.length).toBeGreaterThanOrEqual(1);
    expect(digests).toBe(slots.length);
    expect(await t.db.select().from(outbox).where(eq(outbox.kind, DIGEST_ACTION))).toHaveLength(before + digests);
    await deliver();
    expect(fake.state.messages.get(CHANNEL)).toHaveLength(digests);
  });

  it('report.html shows the controls over the export period, from the same figures', async () => {
    const out = join(dir, 'week.zip');
    const res = await exportBundle({ ...testDeps(t.db, { OFFBOARDING_SLA_HOURS: '24' }), clock: fixedClock('2026-12-20T00:00:00Z') }, { period: { from: '2026-11-30T09:00:00Z', to: DIGEST_AT }, out, actor: 'cli:test' });
    const html = (await unzip(res.file)).get('report.html')!.toString('utf8');
    const section = html.slice(html.indexOf('<h2>Controls over the period</h2>'));
    expect(section.length).toBeGreaterThan(40);
    expect(section).toContain('75.0% of 4 new grants had an approval behind them');
    expect(section).toContain('3 leavers: 1 fully removed within the 24-hour SLA, 1 late, 1 not yet (hours: 10.0 h, 30.0 h)');
    expect(section).toContain('1 unapproved grants undecided');
    expect(section).toContain('terminations.csv, remediation.csv');
  });
});
