import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { systemClock } from '../../src/clock.js';
import { outbox } from '../../src/db/schema/index.js';
import { claimOutboxRows } from '../../src/domain/outbox/claim-outbox-rows.js';
import { coalesceRefreshes } from '../../src/domain/outbox/coalesce-refreshes.js';
import { enqueueMessage } from '../../src/domain/outbox/enqueue-message.js';
import { reviewRefresh } from '../../src/domain/reviews/review-intents.js';
import { Lease, LostLease } from '../../src/slack/delivery/lease.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/** The claim rules the worker relies on, at the database. */
let t: TestDatabase;
const at = (ms: number) => new Date(Date.UTC(2026, 9, 1, 9, 0, 0) + ms);

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());
afterEach(() => t.raw('delete from outbox'));

const enqueue = (channel: string | null, key: string, ms: number) =>
  enqueueMessage(t.db, at(ms), { kind: 'test.post', channel, dedupeKey: key, payload: {} });

describe('claiming outbox rows', () => {
  it('claims one row per channel at a time, oldest first, and the next only once it is finished', async () => {
    await enqueue('U1', 'a1', 0);
    await enqueue('U1', 'a2', 1);
    await enqueue('U2', 'b1', 2);
    const first = await claimOutboxRows(t.db, at(10), { limit: 10, lockMs: 30_000 });
    expect(first.map((c) => c.row.dedupeKey).sort()).toEqual(['a1', 'b1']);
    expect(first[0]).toMatchObject({ recovered: false, row: { status: 'sending', attempts: 1 } });
    expect(await claimOutboxRows(t.db, at(20), { limit: 10, lockMs: 30_000 })).toEqual([]);
    await t.db.update(outbox).set({ status: 'sent', lockedUntil: null }).where(eq(outbox.dedupeKey, 'a1'));
    const next = await claimOutboxRows(t.db, at(30), { limit: 10, lockMs: 30_000 });
    expect(next.map((c) => c.row.dedupeKey)).toEqual(['a2']);
  });

  it('keeps a channel waiting behind an older row rescheduled for later (order survives a 429)', async () => {
    await enqueue('U1', 'a1', 0);
    await enqueue('U1', 'a2', 1);
    await t.db.update(outbox).set({ nextAttemptAt: at(5_000) }).where(eq(outbox.dedupeKey, 'a1'));
    expect(await claimOutboxRows(t.db, at(10), { limit: 10, lockMs: 30_000 })).toEqual([]);
    expect((await claimOutboxRows(t.db, at(5_000), { limit: 10, lockMs: 30_000 })).map((c) => c.row.dedupeKey)).toEqual(['a1']);
  });

  it('takes over a row whose lock expired, marked as recovered, and fences out the worker that lost it', async () => {
    await enqueue('U1', 'a1', 0);
    const [mine] = await claimOutboxRows(t.db, at(10), { limit: 1, lockMs: 1_000 });
    let now = at(10);
    const clock = { now: () => now };
    const lease = new Lease(t.db, clock, mine!.row.id, mine!.lockedUntil, 1_000);
    expect(await claimOutboxRows(t.db, at(500), { limit: 1, lockMs: 1_000 })).toEqual([]);
    const [theirs] = await claimOutboxRows(t.db, at(2_000), { limit: 1, lockMs: 1_000 });
    expect(theirs).toMatchObject({ recovered: true, row: { id: mine!.row.id, attempts: 2 } });
    now = at(2_100); // the first worker wakes from a stall past its lock
    await expect(lease.ensure()).rejects.toBeInstanceOf(LostLease);
    await expect(lease.record({ messages: [] })).rejects.toBeInstanceOf(LostLease);
  });

  it('folds pending refreshes into the oldest pending one, never into one already being sent', async () => {
    const now = systemClock.now();
    for (let i = 0; i < 2; i++) await enqueueMessage(t.db, at(i), reviewRefresh('c1', 'r1', 'U1'));
    const [sending] = await claimOutboxRows(t.db, at(10), { limit: 1, lockMs: 30_000 });
    await enqueueMessage(t.db, at(20), reviewRefresh('c1', 'r1', 'U1'));
    await enqueueMessage(t.db, at(30), reviewRefresh('c1', 'r1', 'U1'));
    expect(await coalesceRefreshes(t.db, now)).toBe(2);
    const rows = await t.db.select().from(outbox);
    const byAge = rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    expect(byAge.map((r) => r.status)).toEqual(['sending', 'pending', 'sent', 'sent']);
    expect(byAge[0]!.id).toBe(sending!.row.id);
    expect(byAge[2]!.result).toEqual({ coalesced: byAge[1]!.id });
    expect(byAge[3]!.result).toEqual({ coalesced: byAge[1]!.id });
  });
});
