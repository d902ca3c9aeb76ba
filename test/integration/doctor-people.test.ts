import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, resource } from '../../src/db/schema/index.js';
import { adminsCheck, slackLinksCheck, undeliverableCheck } from '../../src/domain/doctor/check-people.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { seedPerson } from '../helpers/slack-seed.js';

let t: TestDatabase;
const signal = new AbortController().signal;
const now = new Date('2026-10-01T09:00:00Z');

beforeAll(async () => {
  t = await createTestDatabase();
  const boss = await seedPerson(t.db, { email: 'boss@example.com', name: 'Bea Boss' });
  await seedPerson(t.db, { email: 'ann@example.com', name: 'Ann', slackUserId: 'U0ANN', managerId: boss });
  await seedPerson(t.db, { email: 'root@example.com', name: 'Root', slackUserId: 'U0ROOT', roles: ['admin'] });
  const owner = await seedPerson(t.db, { email: 'owen@example.com', name: 'Owen Owner' });
  await t.db.insert(resource).values({
    source: 'file', system: 'aws', externalId: 'aws:admin', kind: 'role', name: 'Admin', ownerEmail: 'OWEN@example.com', firstSeenAt: now, lastSeenAt: now,
  });
  await t.db.insert(outbox).values(
    [1, 2].map((i) => ({ kind: 'review.reminder', recipientPersonId: owner, payload: { i }, status: 'undeliverable' as const, nextAttemptAt: now, createdAt: now })),
  );
});
afterAll(async () => {
  await t?.drop();
});

describe('doctor on the people in the database', () => {
  it('names managers and resource owners who have no Slack user, and counts who is linked', async () => {
    const out = await slackLinksCheck(() => t.db).run(signal);
    expect(out.status).toBe('warn');
    expect(out.detail).toContain('2 of 4 people are linked to Slack');
    expect(out.detail).toContain('boss@example.com');
    expect(out.detail).toContain('owen@example.com');
    expect(out.detail).not.toContain('ann@example.com');
    expect(out.fix).toContain('attest sync');
  });

  it('says which ATTEST_ADMINS are missing, unlinked or without the role', async () => {
    const out = await adminsCheck(() => t.db, ['root@example.com', 'boss@example.com', 'ghost@example.com']).run(signal);
    expect(out.status).toBe('warn');
    expect(out.detail).not.toContain('root@example.com');
    expect(out.detail).toContain('boss@example.com has no Slack user, does not hold the admin role');
    expect(out.detail).toContain('ghost@example.com is not in the directory');
    expect((await adminsCheck(() => t.db, ['root@example.com']).run(signal)).status).toBe('ok');
  });

  it('warns about messages waiting for someone without a Slack user, naming them', async () => {
    const out = await undeliverableCheck(() => t.db).run(signal);
    expect(out.status).toBe('warn');
    expect(out.detail).toContain('2 messages');
    expect(out.detail).toContain('Owen Owner <owen@example.com> (2)');
    expect(out.fix).toContain('invite');
  });
});
