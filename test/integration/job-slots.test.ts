import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { jobSlot } from '../../src/db/schema/index.js';
import { systemClock } from '../../src/clock.js';
import { claimSlot, finishSlot } from '../../src/jobs/claim-slot.js';
import { startScheduler } from '../../src/jobs/scheduler.js';

/**
 * Scheduled slots are leases: a replica that dies mid-job (kill -9, out of memory, the hard exit
 * at shutdown) leaves its slot unfinished; once its lease has run out the slot shows
 * `interrupted`, never "running" forever, and the job runs again instead of waiting for its
 * next slot (days away for a weekly job).
 */
let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  await t.drop();
});

const slots = (job: string) => t.db.select().from(jobSlot).where(eq(jobSlot.job, job));
const at = (iso: string) => new Date(iso);

describe('job slots', () => {
  it('a slot is taken over only when its claimer stopped renewing it, and never once finished', async () => {
    expect(await claimSlot(t.db, 'sync', 'k1', 'replica-a', at('2026-12-01T10:00:00Z'), 60_000)).toBe(true);
    // Replica b, 30 s later: a's lease still runs.
    expect(await claimSlot(t.db, 'sync', 'k1', 'replica-b', at('2026-12-01T10:00:30Z'), 60_000)).toBe(false);
    // Two minutes later a has not renewed: it died. b takes the slot over.
    expect(await claimSlot(t.db, 'sync', 'k1', 'replica-b', at('2026-12-01T10:02:00Z'), 60_000)).toBe(true);
    expect((await slots('sync'))[0]).toMatchObject({ claimedBy: 'replica-b', finishedAt: null });
    await finishSlot(t.db, 'sync', 'k1', 'finished', at('2026-12-01T10:02:10Z'));
    expect(await claimSlot(t.db, 'sync', 'k1', 'replica-c', at('2026-12-01T11:00:00Z'), 60_000)).toBe(false);
  });

  it('at start, a job whose last slot was cut short is marked interrupted and runs once more, on one replica', async () => {
    const deps = { ...testDeps(t.db), clock: systemClock };
    // What a process killed in the middle of the weekly launch leaves behind.
    const claimedAt = new Date(Date.now() - 10 * 60_000);
    await t.db.insert(jobSlot).values({ job: 'weekly', slot: 'weekly:2026-11-30T09:00:00.000Z', claimedBy: 'dead:1', claimedAt, leaseUntil: new Date(claimedAt.getTime() + 60_000) });
    await t.db.insert(jobSlot).values({ job: 'hourly', slot: 'hourly:done', claimedBy: 'dead:1', claimedAt, leaseUntil: claimedAt, finishedAt: claimedAt, outcome: 'finished' });

    const ran: string[] = [];
    const job = (name: string) => ({ name, schedule: '0 9 * * 1', run: async () => void ran.push(name) });
    const first = startScheduler(deps, [job('weekly'), job('hourly')]);
    const second = startScheduler(deps, [job('weekly'), job('hourly')]);
    const resumed = [...(await first.resumed), ...(await second.resumed)];
    await Promise.all([first.stop(), second.stop()]);

    expect(resumed).toEqual(['weekly']);
    expect(ran).toEqual(['weekly']);
    const weekly = await slots('weekly');
    expect(weekly.find((s) => s.slot === 'weekly:2026-11-30T09:00:00.000Z')).toMatchObject({ outcome: 'interrupted', finishedAt: expect.any(Date) });
    expect(weekly.filter((s) => s.slot.startsWith('resumed:'))).toEqual([expect.objectContaining({ outcome: 'finished', finishedAt: expect.any(Date) })]);
  });

  it('a live claimer renews its lease while the job runs, so nobody takes a long job over', async () => {
    const deps = { ...testDeps(t.db), clock: systemClock };
    let release!: () => void;
    const running = new Promise<void>((r) => (release = r));
    await t.db.insert(jobSlot).values({ job: 'long', slot: 'long:old', claimedBy: 'dead:1', claimedAt: new Date(Date.now() - 60_000), leaseUntil: new Date(Date.now() - 30_000) });
    const scheduler = startScheduler(deps, [{ name: 'long', schedule: '0 9 * * 1', run: () => running }], { slotLeaseMs: 300 });
    await new Promise((r) => setTimeout(r, 1200)); // four leases long
    const [live] = (await slots('long')).filter((s) => s.slot.startsWith('resumed:'));
    expect(live!.finishedAt).toBeNull();
    expect(live!.leaseUntil!.getTime()).toBeGreaterThan(Date.now() - 50);
    expect(await claimSlot(t.db, 'long', live!.slot, 'replica-b', new Date(), 300)).toBe(false);
    release();
    expect(await scheduler.resumed).toEqual(['long']);
    await scheduler.stop();
  });
});
