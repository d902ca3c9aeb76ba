import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { TestDatabase } from '../helpers/db.js';
import { databaseForFile } from '../helpers/database-hooks.js';
import { resetEvidenceLog, tamperWithEvidence } from '../helpers/evidence-tamper.js';
import { appendEvidence } from '../../src/domain/evidence/append-evidence.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';
import { systemClock } from '../../src/clock.js';
import { evidenceEvent, person } from '../../src/db/schema/index.js';

let t: TestDatabase;
databaseForFile((created) => (t = created));

const resetLog = () => resetEvidenceLog(t);

async function appendFive() {
  for (let i = 1; i <= 5; i++) {
    await t.db.transaction((tx) =>
      appendEvidence(tx, systemClock, {
        actor: 'system',
        action: 'test.appended',
        subject: { n: String(i) },
        payload: { i, note: `event ${i}` },
      }),
    );
  }
}

const withoutTrigger = (statement: string) => tamperWithEvidence(t, statement);

describe('evidence log', () => {
  beforeEach(resetLog);

  it('chains events so that verify reports the count and the head hash', async () => {
    await appendFive();
    const report = await verifyChain(t.db);
    expect(report).toMatchObject({ ok: true, events: 5 });
    const [head] = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.seq, 5));
    expect(report.head).toBe(head!.hash);
  });

  it('refuses UPDATE, DELETE and TRUNCATE at the database', async () => {
    await appendFive();
    await expect(t.raw(`update evidence_event set actor = 'mallory' where seq = 2`)).rejects.toThrow(/append-only/);
    await expect(t.raw(`delete from evidence_event where seq = 2`)).rejects.toThrow(/append-only/);
    await expect(t.raw(`truncate evidence_event`)).rejects.toThrow(/append-only/);
    expect((await verifyChain(t.db)).events).toBe(5);
  });

  it('names the first bad event when a payload was changed', async () => {
    await appendFive();
    await withoutTrigger(`update evidence_event set payload = '{"i": 3, "note": "edited"}' where seq = 3`);
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBad: 3 });
  });

  it('names the first bad event when a row was removed', async () => {
    await appendFive();
    await withoutTrigger(`delete from evidence_event where seq = 2`);
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBad: 2 });
  });

  it('names the first bad event when rows were reordered', async () => {
    await appendFive();
    await withoutTrigger(`update evidence_event set seq = -4 where seq = 4`);
    await withoutTrigger(`update evidence_event set seq = 4 where seq = 3`);
    await withoutTrigger(`update evidence_event set seq = 3 where seq = -4`);
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBad: 3 });
  });

  // PGlite runs one statement at a time, so there the appenders could not overlap and this could not fail.
  it.skipIf(!process.env.TEST_DATABASE_URL)('on Postgres (real concurrency): keeps one unbroken chain under 25 concurrent appenders', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        t.db.transaction((tx) =>
          appendEvidence(tx, systemClock, [
            { actor: 'system', action: 'test.concurrent', payload: { i, part: 'a' } },
            { actor: 'system', action: 'test.concurrent', payload: { i, part: 'b' } },
          ]),
        ),
      ),
    );
    expect(await verifyChain(t.db)).toMatchObject({ ok: true, events: 50 });
  });

  it('writes no event when the change it records rolls back', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.insert(person).values({ email: 'rollback@example.com' });
        await appendEvidence(tx, systemClock, { actor: 'system', action: 'person.created' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await verifyChain(t.db)).events).toBe(0);
  });

  it('never stores a secret in a payload', async () => {
    const [row] = await t.db.transaction((tx) =>
      appendEvidence(tx, systemClock, {
        actor: 'system',
        action: 'test.secret',
        payload: { apiToken: 'xoxb-123', nested: { client_secret: 's3cr3t' }, ok: 'kept' },
      }),
    );
    expect(JSON.stringify(row!.payload)).not.toMatch(/xoxb-123|s3cr3t/);
    expect(row!.payload.ok).toBe('kept');
  });
});
