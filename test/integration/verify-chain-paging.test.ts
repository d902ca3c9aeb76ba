import { beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { TestDatabase } from '../helpers/db.js';
import { databaseForFile } from '../helpers/database-hooks.js';
import { resetEvidenceLog, tamperWithEvidence } from '../helpers/evidence-tamper.js';
import { appendEvidence, type NewEvidence } from '../../src/domain/evidence/append-evidence.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';
import { fixedClock } from '../../src/clock.js';
import { evidenceEvent } from '../../src/db/schema/index.js';

/** verifyChain reads 500 events a page; 1,250 events make two full pages and a partial one. */
const PAGE = 500;
const EVENTS = 1250;

let t: TestDatabase;
databaseForFile((created) => (t = created));

const resetLog = () => resetEvidenceLog(t);

/** Batches of 1 to 61 events (so some share a timestamp), with payloads of every JSON kind. */
async function appendChain() {
  const clock = fixedClock('2026-03-01T12:34:56.789Z');
  let n = 0;
  while (n < EVENTS) {
    const size = Math.min(1 + (n % 61), EVENTS - n);
    const batch: NewEvidence[] = Array.from({ length: size }, (_, k) => {
      const i = n + k + 1;
      return {
        actor: i % 3 === 0 ? 'system' : `person:${i % 11}`,
        action: i % 2 === 0 ? 'review.decided' : 'grant.added',
        subject: { campaign: `c${i % 5}`, item: `i${i}` },
        payload: { i, ratio: i / 7, ok: i % 2 === 0, none: null, note: `é✓ "quoted" \\ line\n${i}`, tags: ['a', i, { z: 1, a: [] }], at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)) },
      };
    });
    await t.db.transaction((tx) => appendEvidence(tx, clock, batch));
    clock.advance(1 + (n % 997));
    n += size;
  }
}

const withoutTrigger = (statement: string) => tamperWithEvidence(t, statement);

async function hashOf(seq: number): Promise<string> {
  const [row] = await t.db.select({ hash: evidenceEvent.hash }).from(evidenceEvent).where(eq(evidenceEvent.seq, seq));
  return row!.hash;
}

const altered = (seq: number) => ({ ok: false, firstBad: seq, events: seq - 1, reason: `event ${seq} was altered after it was written` });

describe('verifyChain across pages', () => {
  beforeEach(async () => {
    await resetLog();
    await appendChain();
  });

  it('checks an unbroken chain of several pages, page by page, and reports its head', async () => {
    const progress: number[] = [];
    const report = await verifyChain(t.db, (checked) => progress.push(checked));
    expect(progress).toEqual([PAGE, 2 * PAGE, EVENTS]);
    expect(report).toEqual({ ok: true, events: EVENTS, head: await hashOf(EVENTS) });
  });

  it('names an altered event that is the last of a page, with the head before it', async () => {
    await withoutTrigger(`update evidence_event set payload = jsonb_set(payload, '{i}', '0') where seq = ${PAGE}`);
    expect(await verifyChain(t.db)).toEqual({ ...altered(PAGE), head: await hashOf(PAGE - 1) });
  });

  it('names an altered event that is the first of a page', async () => {
    await withoutTrigger(`update evidence_event set actor = 'mallory' where seq = ${PAGE + 1}`);
    expect(await verifyChain(t.db)).toEqual({ ...altered(PAGE + 1), head: await hashOf(PAGE) });
  });

  it('names a missing event that was the last of a page', async () => {
    await withoutTrigger(`delete from evidence_event where seq = ${PAGE}`);
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBad: PAGE, events: PAGE - 1, reason: `event ${PAGE} is missing (next stored is ${PAGE + 1})` });
  });

  it('names a missing event that was the first of a page', async () => {
    await withoutTrigger(`delete from evidence_event where seq = ${PAGE + 1}`);
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBad: PAGE + 1, events: PAGE, reason: `event ${PAGE + 1} is missing (next stored is ${PAGE + 2})` });
  });

  it('names a link broken across a page boundary', async () => {
    await withoutTrigger(`update evidence_event set prev_hash = '${'f'.repeat(64)}' where seq = ${PAGE + 1}`);
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBad: PAGE + 1, reason: `event ${PAGE + 1} does not link to the event before it` });
  });

  it('names events swapped across a page boundary', async () => {
    await withoutTrigger(`update evidence_event set seq = -1 where seq = ${PAGE}`);
    await withoutTrigger(`update evidence_event set seq = ${PAGE} where seq = ${PAGE + 1}`);
    await withoutTrigger(`update evidence_event set seq = ${PAGE + 1} where seq = -1`);
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBad: PAGE });
  });

  it('names the earliest of several breaks on later pages', async () => {
    await withoutTrigger(`update evidence_event set subject = '{"campaign": "c0"}' where seq = ${2 * PAGE + 7}`);
    await withoutTrigger(`update evidence_event set action = 'forged' where seq = ${2 * PAGE + 100}`);
    expect(await verifyChain(t.db)).toEqual({ ...altered(2 * PAGE + 7), head: await hashOf(2 * PAGE + 6) });
  });

  it('names an event whose time moved by one millisecond, even when the event before shares its time', async () => {
    const rows = await t.db.select({ seq: evidenceEvent.seq, at: evidenceEvent.at }).from(evidenceEvent).orderBy(asc(evidenceEvent.seq));
    const shared = rows.find((r, i) => i > PAGE && r.at.getTime() === rows[i - 1]!.at.getTime())!;
    await withoutTrigger(`update evidence_event set at = at + interval '1 millisecond' where seq = ${shared.seq}`);
    expect(await verifyChain(t.db)).toMatchObject(altered(shared.seq));
  });
});
