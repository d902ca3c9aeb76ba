import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, desc, eq, gte, lt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { buildQuarter, Q, unzip, type Quarter } from '../factories/quarter.js';
import { evidenceEvent, reviewItem } from '../../src/db/schema/index.js';
import { exportBundle, type ExportResult } from '../../src/domain/evidence/export/export-bundle.js';

let t: TestDatabase;
let dir: string;
let q: Quarter;
let result: ExportResult;
let files: Map<string, Buffer>;

type Row = Record<string, string>;
const csv = (buf: Buffer): Row[] => parse(buf.toString('utf8'), { columns: true }) as Row[];
const rows = (name: string): Row[] => csv(files.get(name)!);
const CSVS = ['population.csv', 'decisions.csv', 'signoffs.csv', 'exceptions.csv', 'remediation.csv', 'terminations.csv', 'access-requests.csv', 'findings.csv', 'reconciliation.csv'];

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'attest-export-'));
  q = await buildQuarter(t.db);
  result = await exportBundle({ ...testDeps(t.db), clock: q.clock }, { period: { quarter: Q.quarter }, out: join(dir, 'q4.zip'), actor: 'cli:test' });
  files = await unzip(result.file);
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('export of a quarter', () => {
  it('writes every file of the bundle, and returns the zip hash and the file names', () => {
    expect([...files.keys()]).toEqual([...CSVS, 'evidence.jsonl', 'report.html', 'manifest.json']);
    expect(result.files).toEqual([...files.keys()]);
    expect(result.sha256).toBe(createHash('sha256').update(readFileSync(result.file)).digest('hex'));
  });

  it('lists every other file in manifest.json with its sha256 and size', () => {
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(Object.keys(manifest).sort()).toEqual(['chainHead', 'files', 'generatedAt', 'generator', 'parameters']);
    expect(manifest.generator).toBe('attest 0.1.0');
    expect(manifest.generatedAt).toBe(Q.exportAt);
    expect(manifest.parameters).toMatchObject({ period: { quarter: '2026-Q4' }, from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z', campaigns: [q.campaign.id] });
    for (const f of manifest.files) {
      const b = files.get(f.name)!;
      expect({ name: f.name, sha256: createHash('sha256').update(b).digest('hex'), bytes: b.length }).toEqual(f);
    }
    expect(manifest.files.map((f: { name: string }) => f.name)).not.toContain('manifest.json');
  });

  it('population.csv holds every review item as frozen at launch, names in any script intact', async () => {
    const items = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, q.campaign.id));
    const pop = rows('population.csv');
    expect(pop).toHaveLength(items.length);
    const byItem = new Map(pop.map((r) => [r.item_id, r]));
    for (const it of items) {
      const r = byItem.get(it.id)!;
      expect(r).toMatchObject({ campaign: 'Q4 review', email: it.snapshot.personEmail, person: it.snapshot.personName, system: 'okta', how_held: 'direct', grant_id: it.grantId });
    }
    expect(byItem.get(q.items.revoked.id)).toMatchObject({ person: 'Łukasz Żółć', resource: 'Okta Super Admin', privileged: 'yes', manager: 'maria@acme.test' });
    expect(byItem.get(q.items.delegated.id)).toMatchObject({ person: '山田太郎', department: '営業', last_login: '2026-05-01T08:00:00.000Z' });
    expect(byItem.get(q.items.formula.id)).toMatchObject({ person: 'Алексей Смирнов', department: `'=HYPERLINK("http://evil")`, resource: "'@SUM(1+1)" });
    expect(byItem.get(q.items.fallback.id)).toMatchObject({ manager: '', last_login: '', privileged: 'no' });
  });

  it('decisions.csv gives each decision with reviewer, time, reason, delegation and stand-in', () => {
    const d = new Map(rows('decisions.csv').map((r) => [r.item_id, r]));
    expect(d.size).toBe(6);
    expect(d.get(q.items.revoked.id)).toMatchObject({ decision: 'revoked', decided_at: '2026-10-05T10:01:00.000Z', reviewer_name: 'Maria Manager', reviewer_email: 'maria@acme.test', reviewer_slack_user_id: 'U0MARIA', reason: "'-1 not needed", request_id: q.revoke.requestId });
    expect(d.get(q.items.approved.id)).toMatchObject({ decision: 'approved', reason: "'+1 fine", request_id: '' });
    expect(d.get(q.items.delegated.id)).toMatchObject({ reviewer_email: 'dana@acme.test', reviewer_slack_user_id: 'U0DANA', delegated_from: 'maria@acme.test', delegation_reason: 'on leave', reason: "'\tlooks right" });
    expect(d.get(q.items.fallback.id)).toMatchObject({ reviewer_email: 'olivia@acme.test', fallback_reviewer_reason: 'nomad@acme.test has no manager', reason: "'\rok" });
    expect(d.get(q.items.undecided.id)).toMatchObject({ decision: 'pending', decided_at: '', reason: '', reviewer_email: 'maria@acme.test', resource: "'-1 Group" });
  });

  it('remediation.csv shows who removed the access, when, and the sync run that proved it', () => {
    expect(rows('remediation.csv')).toEqual([
      expect.objectContaining({ request_id: q.revoke.requestId, item_id: q.items.revoked.id, decided_by: 'maria@acme.test', carried_out_by: 'ivan@acme.test', carried_out_at: '2026-10-06T12:00:00.000Z', verified_at: '2026-10-08T06:05:00.000Z', verified_by_sync_run: q.revoke.syncRunId, sync_source: 'okta', hours_decision_to_verified: '68.07', status: 'verified' }),
    ]);
  });

  it('terminations.csv gives each removal of a leaver with its SLA verdict', () => {
    const term = new Map(rows('terminations.csv').map((r) => [r.request_id, r]));
    expect(term.size).toBe(2);
    const base = { case_id: q.leaver.caseId, person: 'Leo Leaver', effective_at: '2026-11-10T17:00:00.000Z', deadline: '2026-11-11T17:00:00.000Z', verified_by_sync_run: q.leaver.syncRunId, verified_at: '2026-11-12T13:00:00.000Z' };
    expect(term.get(q.leaver.onTime.requestId)).toMatchObject({ ...base, removed_at: '2026-11-11T09:00:00.000Z', removed_by: 'ivan@acme.test', sla_met: 'yes', resource: '' });
    expect(term.get(q.leaver.late.requestId)).toMatchObject({ ...base, resource: 'Payroll', removed_at: '2026-11-12T12:00:00.000Z', hours_from_effective: '43', sla_met: 'no' });
  });

  it('access-requests.csv gives each grant: who asked, who approved, when carried out, expiry', () => {
    expect(rows('access-requests.csv')).toEqual([
      expect.objectContaining({ request_id: q.grantRequest.requestId, person: 'Łukasz Żółć', resource: 'GitHub', requested_by: 'lukasz@acme.test', approved_by: 'maria@acme.test', approved_at: '2026-11-20T10:00:00.000Z', carried_out_by: 'ivan@acme.test', carried_out_at: '2026-11-21T09:00:00.000Z', expires_at: '2027-02-20T00:00:00.000Z' }),
    ]);
  });

  it('findings.csv reports every kind of exception the quarter holds', () => {
    const f = rows('findings.csv');
    const of = (type: string) => f.filter((r) => r.type === type);
    expect(of('terminated_but_active').map((r) => r.subject)).toEqual(['tom@acme.test']);
    expect(of('orphaned_account').map((r) => r.evidence)).toEqual([`account:${q.accounts.orphan}`]);
    expect(of('stale_access').map((r) => r.subject).sort()).toEqual(['nomad@acme.test', 'taro@acme.test']);
    expect(of('privileged_not_reviewed').map((r) => r.evidence)).toEqual([`grant:${q.grants.tomAdmin}`]);
    expect(of('self_review_attempt')).toEqual([expect.objectContaining({ subject: 'lukasz@acme.test', severity: 'high', evidence: `seq:${q.seq.refused}` })]);
    expect(of('removal_missed_sla')).toEqual([expect.objectContaining({ subject: 'leo@acme.test', evidence: expect.stringContaining(`task:${q.leaver.late.taskId}`) })]);
    expect(of('undecided_item').map((r) => r.evidence)).toEqual([`item:${q.items.undecided.id}`]);
    expect(of('rubber_stamping')).toEqual([]);
  });

  it('reconciliation.csv accounts for every live grant of each source', () => {
    const r = rows('reconciliation.csv');
    const m = (measure: string, detail = '') => r.find((x) => x.measure === measure && (x.detail ?? '').startsWith(detail))?.count;
    expect(r.every((x) => x.campaign_id === q.campaign.id && x.source === 'okta' && x.sync_run_id === q.syncRuns.baseline)).toBe(true);
    expect([m('idp_total', 'users.active'), m('live_grants'), m('in_scope'), m('excluded', 'inactive account'), m('review_items'), m('unexplained')]).toEqual(['10', '8', '6', '1', '6', '0']);
  });

  it('evidence.jsonl is the quarter’s events, anchored on the hash of the event before', async () => {
    const lines = files.get('evidence.jsonl')!.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const [header, ...events] = lines;
    const inQuarter = await t.db.select().from(evidenceEvent).where(and(gte(evidenceEvent.at, new Date('2026-10-01T00:00:00Z')), lt(evidenceEvent.at, new Date('2027-01-01T00:00:00Z'))));
    expect(header).toMatchObject({ kind: 'attest.evidence-segment', prevHash: q.seq.lastBeforeQuarter.hash, firstSeq: q.seq.lastBeforeQuarter.seq + 1, events: inQuarter.length });
    expect(events.map((e) => e.seq)).toEqual(inQuarter.map((e) => e.seq).sort((a, b) => a - b));
    expect(events.map((e) => e.seq)).not.toContain(q.seq.afterQuarter);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(events.at(-1).hash).toBe(manifest.chainHead);
  });

  it('records the export as evidence after the bundle was built, outside it', async () => {
    const [last] = await t.db.select().from(evidenceEvent).orderBy(desc(evidenceEvent.seq)).limit(1);
    expect(last).toMatchObject({ action: 'evidence.exported', actor: 'cli:test', payload: expect.objectContaining({ sha256: result.sha256, parameters: expect.objectContaining({ label: '2026-Q4' }) }) });
    expect(files.get('evidence.jsonl')!.toString('utf8')).not.toContain('evidence.exported');
  });

  it('leaves empty values as empty cells and neutralises every formula-like cell', () => {
    for (const name of CSVS) {
      const cells = rows(name).flatMap((r) => Object.values(r));
      expect(cells.filter((c) => ['-', 'null', 'undefined', 'NaN'].includes(c)), name).toEqual([]);
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c)), name).toEqual([]);
    }
  });

  it('report.html is one self-contained page with the SOC 2 mapping and the integrity statement', () => {
    const html = files.get('report.html')!.toString('utf8');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(|https?:\/\//i);
    for (const text of ['reviews validity of access credentials', 'prevents the use of credentials when no longer valid', 'removes access when no longer required', 'reviews access roles and rules', 'CC6.4', 'attest verify --bundle']) {
      expect(html).toContain(text);
    }
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(html).toContain(manifest.chainHead);
    expect(html).toContain('Leo Leaver');
    expect(html).toContain('self review attempt');
  });
});

describe('export of one campaign', () => {
  it('covers the campaign from its creation to its close', async () => {
    const out = join(dir, 'campaign.zip');
    const res = await exportBundle({ ...testDeps(t.db), clock: q.clock }, { period: { campaignId: q.campaign.id }, out, actor: 'cli:test' });
    const f = await unzip(res.file);
    const events = f.get('evidence.jsonl')!.toString('utf8').trimEnd().split('\n').slice(1).map((l) => JSON.parse(l));
    expect(events[0].action).toBe('campaign.created');
    expect(events.at(-1).action).toBe('campaign.closed');
    expect(csv(f.get('population.csv')!)).toHaveLength(6);
    expect(csv(f.get('terminations.csv')!)).toEqual([]); // Leo left after the close
    expect(f.get('terminations.csv')!.toString('utf8')).toMatch(/^case_id,person,email,/);
  });
});
