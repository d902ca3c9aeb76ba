import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildQuarter, type Quarter } from '../factories/quarter.js';
import { accessRequest, campaign, reviewItem, task, type Campaign } from '../../src/db/schema/index.js';
import { rubberStamping } from '../../src/domain/evidence/findings/rubber-stamping.js';
import { findFindings } from '../../src/domain/evidence/findings/find-findings.js';
import { DEFAULT_RUBBER_STAMP, type Finding, type FindingScope } from '../../src/domain/evidence/findings/types.js';
import { findSegment } from '../../src/domain/evidence/export/evidence-segment.js';

let t: TestDatabase;
let q: Quarter;
let bulk: Campaign;

const from = new Date('2026-10-01T00:00:00Z');
const to = new Date('2027-01-01T00:00:00Z');

async function scope(over: Partial<FindingScope> = {}): Promise<FindingScope> {
  return { db: t.db, from, to, asOf: to, campaigns: [q.campaign, bulk], segment: await findSegment(t.db, from, to), staleLoginDays: 90, slaHours: 24, rubberStamp: DEFAULT_RUBBER_STAMP, ...over };
}
async function all(rows: AsyncIterable<Finding>): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** A second campaign in which Dana approves 24 items one second apart. */
beforeAll(async () => {
  t = await createTestDatabase();
  q = await buildQuarter(t.db);
  const [c] = await t.db.insert(campaign).values({ name: 'Bulk', ownerId: q.people.olivia, status: 'closed', dueAt: new Date('2026-11-30T00:00:00Z'), createdBy: 'test', createdAt: new Date('2026-11-01T00:00:00Z'), launchedAt: new Date('2026-11-01T00:00:00Z'), closedAt: new Date('2026-11-30T00:00:00Z') }).returning();
  bulk = c!;
  const [template] = await t.db.select().from(reviewItem).where(eq(reviewItem.id, q.items.approved.id));
  await t.db.insert(reviewItem).values(
    Array.from({ length: 24 }, (_, i) => ({
      campaignId: bulk.id,
      grantId: crypto.randomUUID(),
      snapshot: template!.snapshot,
      reviewerId: q.people.dana,
      decision: 'approved' as const,
      decidedBy: q.people.dana,
      decidedAt: new Date(Date.UTC(2026, 10, 2, 9, 0, i)),
    })),
  );
});
afterAll(async () => {
  await t.drop();
});

describe('findings', () => {
  it('flags a reviewer who approved 20 or more items a second apart', async () => {
    const rows = await all(rubberStamping(await scope()));
    expect(rows).toEqual([expect.objectContaining({ type: 'rubber_stamping', subject: 'dana@acme.test', evidence: [`campaign:${bulk.id}`, `person:${q.people.dana}`] })]);
    expect(rows[0]!.detail).toContain('approved 24 of 24');
  });

  it('takes its thresholds from the input', async () => {
    expect(await all(rubberStamping(await scope({ rubberStamp: { minApprovals: 25, medianSeconds: 3 } })))).toEqual([]);
    // Maria's three decisions were a minute apart: only a generous threshold catches them.
    const slow = await all(rubberStamping(await scope({ rubberStamp: { minApprovals: 2, medianSeconds: 120 } })));
    expect(slow.map((f) => f.subject).sort()).toEqual(['dana@acme.test', 'maria@acme.test']);
  });

  it('judges stale logins against STALE_LOGIN_DAYS', async () => {
    const stale = async (days: number) => (await all(findFindings(await scope({ staleLoginDays: days })))).filter((f) => f.type === 'stale_access').map((f) => f.subject).sort();
    expect(await stale(90)).toEqual(['nomad@acme.test', 'taro@acme.test']);
    expect(await stale(400)).toEqual([]);
  });

  it('counts a removal still open past its deadline as a missed SLA', async () => {
    await t.db.update(task).set({ status: 'open', doneAt: null, doneBy: null }).where(eq(task.id, q.leaver.onTime.taskId));
    await t.db.update(accessRequest).set({ status: 'in_progress', verifiedAt: null }).where(eq(accessRequest.id, q.leaver.onTime.requestId));
    const missed = (await all(findFindings(await scope()))).filter((f) => f.type === 'removal_missed_sla');
    expect(missed).toHaveLength(2);
    expect(missed.map((f) => f.detail)).toEqual(expect.arrayContaining([expect.stringContaining('still not removed'), expect.stringContaining('removed 2026-11-12T12:00:00.000Z')]));
  });
});
