import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { buildQuarter, Q, rezip, unzip, type Quarter } from '../factories/quarter.js';
import { addReviewDepth } from '../factories/review-depth.js';
import { exportBundle } from '../../src/domain/evidence/export/export-bundle.js';
import { verifyBundle } from '../../src/domain/evidence/verify-bundle.js';

let t: TestDatabase;
let dir: string;
let q: Quarter;
let depth: Awaited<ReturnType<typeof addReviewDepth>>;
let file: string;
let files: Map<string, Buffer>;

type Row = Record<string, string>;
const rows = (name: string): Row[] => parse(files.get(name)!.toString('utf8'), { columns: true }) as Row[];

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'attest-depth-'));
  q = await buildQuarter(t.db);
  depth = await addReviewDepth(t.db, q);
  file = (await exportBundle({ ...testDeps(t.db), clock: q.clock }, { period: { quarter: Q.quarter }, out: join(dir, 'q4.zip'), actor: 'cli:test' })).file;
  files = await unzip(file);
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('a bundle of reviews with depth', () => {
  it('decisions.csv has one row per decision with its level, the suggestion shown and whether it was followed', () => {
    const d = rows('decisions.csv');
    expect(d).toHaveLength(7);
    const byItem = new Map(d.map((r) => [r.item_id, r]));
    expect(byItem.get(q.items.approved.id)).toMatchObject({ level: '1', decision: 'approved', suggestion: 'revoke: no sign-in for 120 days', followed_suggestion: 'no', grant_id: q.grants.lukaszGithub });
    expect(byItem.get(depth.secondLevelItemId)).toMatchObject({ level: '2', decision: 'revoked', reviewer_email: 'ivan@acme.test', grant_id: q.grants.lukaszGithub, followed_suggestion: 'yes' });
    expect(byItem.get(q.items.formula.id)).toMatchObject({ suggestion: 'revoke: never signed in', followed_suggestion: 'no' });
    expect(byItem.get(q.items.revoked.id)).toMatchObject({ level: '1', suggestion: '', followed_suggestion: '' });
    expect(byItem.get(q.items.delegated.id)).toMatchObject({ suggestion: '', followed_suggestion: '', exception_control: '', exception_ends_at: '' });
    expect(byItem.get(q.items.undecided.id)).toMatchObject({ decision: 'kept', exception_control: 'weekly log review', exception_ends_at: '2026-12-01T00:00:00.000Z', reviewer_email: 'maria@acme.test' });
  });

  it('population.csv gives each item once, with its final outcome, history and accounts without a person', () => {
    const p = rows('population.csv');
    expect(p).toHaveLength(6);
    const byItem = new Map(p.map((r) => [r.item_id, r]));
    // Approved by Maria, revoked by the owner at the second level: a revoke at either level revokes.
    expect(byItem.get(q.items.approved.id)).toMatchObject({ final_outcome: 'revoked', previous_decision: 'approved', previous_campaign: 'Q3 review', new_since_last_review: 'no', ownerless: 'no', account_owner: '' });
    expect(byItem.get(q.items.undecided.id)).toMatchObject({ final_outcome: 'kept' });
    expect(byItem.get(q.items.formula.id)).toMatchObject({ final_outcome: 'approved' });
    expect(byItem.get(q.items.revoked.id)).toMatchObject({ final_outcome: 'revoked' });
    expect(byItem.get(q.items.delegated.id)).toMatchObject({ final_outcome: 'approved', new_since_last_review: 'yes', previous_decision: '' });
    expect(byItem.get(q.items.fallback.id)).toMatchObject({ ownerless: 'yes', account_owner: 'olivia@acme.test' });
  });

  it('signoffs.csv lists every reviewer of the campaign, signed or not', () => {
    const s = new Map(rows('signoffs.csv').map((r) => [r.reviewer_email, r]));
    expect([...s.keys()].sort()).toEqual(['dana@acme.test', 'ivan@acme.test', 'maria@acme.test', 'olivia@acme.test']);
    expect(s.get('dana@acme.test')).toMatchObject({ campaign: 'Q4 review', items: '1', decided: '1', signed_at: '2026-10-06T16:00:00.000Z', item_count: '1', items_digest: 'a'.repeat(64), statement: expect.stringContaining('I reviewed each of these 1 items') });
    expect(s.get('maria@acme.test')).toMatchObject({ items: '4', decided: '4', signed_at: '', statement: '', item_count: '', items_digest: '' });
    expect(s.get('ivan@acme.test')).toMatchObject({ items: '1', decided: '1', signed_at: '' });
  });

  it('exceptions.csv lists each kept item with its control, end date and status at the export', () => {
    expect(rows('exceptions.csv')).toEqual([
      expect.objectContaining({ item_id: q.items.undecided.id, person: 'Алексей Смирнов', email: 'alexei@acme.test', resource: "'-1 Group", system: 'okta', control: 'weekly log review', ends_at: '2026-12-01T00:00:00.000Z', status: 'expired', decided_by_email: 'maria@acme.test', decided_at: '2026-10-20T10:00:00.000Z' }),
    ]);
  });

  it('findings.csv names suggested revokes all approved, missing sign-offs and expired exceptions', () => {
    const f = rows('findings.csv');
    const of = (type: string) => f.filter((r) => r.type === type);
    expect(of('suggested_revokes_approved')).toEqual([expect.objectContaining({ subject: 'maria@acme.test', severity: 'medium', evidence: `campaign:${q.campaign.id} person:${q.people.maria}` })]);
    expect(of('suggested_revokes_approved')[0]!.detail).toContain('approved all 2');
    expect(of('signoff_missing').map((r) => r.subject).sort()).toEqual(['ivan@acme.test', 'maria@acme.test', 'olivia@acme.test']);
    expect(of('exception_expired')).toEqual([expect.objectContaining({ subject: 'alexei@acme.test', severity: 'high', evidence: `item:${q.items.undecided.id}` })]);
    expect(of('undecided_item')).toEqual([]);
  });

  it('report.html has the sign-offs, the exceptions and the second-level decisions', () => {
    const html = files.get('report.html')!.toString('utf8');
    expect(html).toContain('Reviewer sign-offs');
    expect(html).toContain('decided every item but have no sign-off covering them all');
    expect(html).toContain('weekly log review');
    expect(html).toMatch(/Second-level decisions[\s\S]*Q4 review/);
    expect(html).toContain('>signoffs.csv<');
    expect(html).toContain('>exceptions.csv<');
  });

  it('the manifest covers the new files, and a tampered signoffs.csv fails verification', async () => {
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['signoffs.csv', 'exceptions.csv']));
    expect((await verifyBundle(file)).ok).toBe(true);
    const tampered = join(dir, 'tampered.zip');
    // Someone "adds" a sign-off for Maria after the fact.
    await rezip(file, tampered, 'signoffs.csv', (b) => Buffer.from(b.toString('utf8').replace(/(maria@acme\.test,4,4,)/, '$12026-10-21T09:00:00.000Z'), 'utf8'));
    expect((await unzip(tampered)).get('signoffs.csv')!.toString('utf8')).toContain('2026-10-21T09:00:00.000Z');
    const report = await verifyBundle(tampered);
    expect(report.ok).toBe(false);
    expect(report.files.filter((f) => !f.ok).map((f) => f.name)).toEqual(['signoffs.csv']);
  });
});
