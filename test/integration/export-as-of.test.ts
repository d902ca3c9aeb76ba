import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildQuarter, type Quarter } from '../factories/quarter.js';
import { accessRequestRows } from '../../src/domain/evidence/export/access-requests.js';
import { decisionRows } from '../../src/domain/evidence/export/decisions.js';
import { findSegment } from '../../src/domain/evidence/export/evidence-segment.js';
import { remediationRows } from '../../src/domain/evidence/export/remediation.js';
import { resolvePeriod } from '../../src/domain/evidence/export/resolve-period.js';
import { fixSnapshot } from '../../src/domain/evidence/export/snapshot.js';
import { terminationRows } from '../../src/domain/evidence/export/terminations.js';

/**
 * A bundle read in chunks (PGlite) shows rows as they stood at its snapshot instant, so a
 * decision, removal or approval recorded while it is being written is left out of every file
 * alike, as its evidence event is left out of evidence.jsonl. Checked here against the fixture
 * quarter, whose every timestamp is known, with the snapshot put at chosen instants.
 */
let t: TestDatabase;
let q: Quarter;

beforeAll(async () => {
  t = await createTestDatabase();
  q = await buildQuarter(t.db);
});
afterAll(async () => {
  await t.drop();
});

async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

const at = (iso: string) => new Date(iso);

describe('reading rows as of a snapshot instant', () => {
  it('shows a decision recorded after it as still pending', async () => {
    const rows = await all(decisionRows(t.db, [q.campaign], at('2026-10-05T10:01:30Z')));
    const byItem = new Map(rows.map((r) => [r.itemId, r]));
    expect(byItem.get(q.items.approved.id)).toMatchObject({ decision: 'approved', reason: '+1 fine' });
    expect(byItem.get(q.items.revoked.id)).toMatchObject({ decision: 'revoked', requestId: q.revoke.requestId });
    expect(byItem.get(q.items.formula.id)).toMatchObject({ decision: 'pending', decidedAt: null, reason: null, decider: { email: null } });
    expect(byItem.get(q.items.fallback.id)).toMatchObject({ decision: 'pending', decidedAt: null });
    // Without an instant (one database snapshot), rows are as they are.
    const now = await all(decisionRows(t.db, [q.campaign]));
    expect(now.find((r) => r.itemId === q.items.formula.id)).toMatchObject({ decision: 'approved' });
  });

  it('shows a removal carried out or proved after it as not done yet', async () => {
    const before = await all(remediationRows(t.db, [q.campaign], { from: at('2026-10-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') }, at('2026-10-05T10:00:30Z')));
    expect(before).toEqual([]);
    const [decided] = await all(remediationRows(t.db, [q.campaign], { from: at('2026-10-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') }, at('2026-10-07T00:00:00Z')));
    expect(decided).toMatchObject({ requestId: q.revoke.requestId, doneAt: new Date('2026-10-06T12:00:00Z'), carriedOutBy: 'ivan@acme.test', verifiedAt: null, syncRunId: null, syncSource: null, status: 'done' });
    const [asked] = await all(remediationRows(t.db, [q.campaign], { from: at('2026-10-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') }, at('2026-10-05T12:00:00Z')));
    expect(asked).toMatchObject({ doneAt: null, carriedOutBy: null, verifiedAt: null, status: 'approved' });
  });

  it('shows a leaver’s removals as they stood, and judges them no earlier', async () => {
    const when = at('2026-11-11T12:00:00Z');
    const rows = await all(terminationRows(t.db, { from: at('2026-10-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z'), asOf: when, slaHours: 24, rowsAsOf: when }));
    const byTask = new Map(rows.map((r) => [r.taskId, r]));
    expect(byTask.get(q.leaver.onTime.taskId)).toMatchObject({ caseStatus: 'in_progress', removedAt: new Date('2026-11-11T09:00:00Z'), verifiedAt: null, syncRunId: null, slaMet: true });
    expect(byTask.get(q.leaver.late.taskId)).toMatchObject({ removedAt: null, removedBy: null, verifiedAt: null, slaMet: null });
    const early = await all(terminationRows(t.db, { from: at('2026-10-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z'), asOf: at('2026-11-01T00:00:00Z'), slaHours: 24, rowsAsOf: at('2026-11-01T00:00:00Z') }));
    expect(early).toEqual([]);
  });

  it('leaves out a grant approved after it, and shows one carried out after it as approved', async () => {
    const period = { from: at('2026-10-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') };
    expect(await all(accessRequestRows(t.db, period, at('2026-11-20T09:30:00Z')))).toEqual([]);
    const [approved] = await all(accessRequestRows(t.db, period, at('2026-11-20T12:00:00Z')));
    expect(approved).toMatchObject({ requestId: q.grantRequest.requestId, approvedBy: 'maria@acme.test', doneAt: null, carriedOutBy: null, status: 'approved' });
  });

  it('takes a campaign closed after the instant as still open, and the segment up to the head it fixed', async () => {
    const period = await resolvePeriod(t.db, at('2026-10-20T00:00:00Z'), { campaignId: q.campaign.id }, at('2026-10-20T00:00:00Z'));
    expect(period.campaigns[0]).toMatchObject({ status: 'launched', closedAt: null });
    expect(period.to).toEqual(at('2026-10-20T00:00:00.001Z'));
    const snapshot = await fixSnapshot(t.db, q.clock, true);
    expect(snapshot).toMatchObject({ lastSeq: q.seq.afterQuarter, rowsAsOf: snapshot.at });
    const segment = await findSegment(t.db, at('2026-10-01T00:00:00Z'), at('2027-02-01T00:00:00Z'), q.seq.refused);
    expect(segment).toMatchObject({ firstSeq: q.seq.lastBeforeQuarter.seq + 1, lastSeq: q.seq.refused });
  });
});
