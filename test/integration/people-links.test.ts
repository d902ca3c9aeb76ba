import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { person } from '../../src/db/schema/index.js';
import { linkChatUsers, type ChatUser } from '../../src/domain/people/link-chat-users.js';
import { claimSlot } from '../../src/jobs/claim-slot.js';
import { seedAdmins } from '../../src/domain/people/seed-admins.js';
import { listRoleHolders } from '../../src/domain/people/list-roles.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const directory = (pages: ChatUser[][]) => ({
  async *listUsers() {
    for (const p of pages) yield p;
  },
});
const chatUser = (id: string, email: string | null, tz = 'Europe/Berlin'): ChatUser => ({ id, email, tz, deleted: false, isBot: false });

describe('people', () => {
  it('maps people to Slack users by email and keeps the link when the email changes', async () => {
    const deps = testDeps(t.db);
    await t.db.insert(person).values([{ email: 'Ann@Acme.test' }, { email: 'bob@acme.test', aliases: ['robert@old.test'] }]);
    const first = await linkChatUsers(deps, directory([[chatUser('U1', 'ann@acme.test')], [chatUser('U2', 'robert@old.test'), chatUser('U3', 'stranger@x.test')]]));
    expect(first).toEqual({ matched: 2, refreshed: 0, unmatched: 1 });

    // Ann's Slack email changes and another user takes her old address: the link stays on U1.
    await linkChatUsers(deps, directory([[chatUser('U1', 'ann.new@acme.test', 'America/New_York'), chatUser('U9', 'ann@acme.test')]]));
    const [ann] = await t.db.select().from(person).where(eq(person.email, 'Ann@Acme.test'));
    expect(ann).toMatchObject({ slackUserId: 'U1', slackTz: 'America/New_York' });
  });

  it('lets exactly one claimer run a scheduled slot', async () => {
    const now = new Date();
    const results = await Promise.all([1, 2, 3].map((i) => claimSlot(t.db, 'sync', 'sync:2026-11-29T10:00:00.000Z', `replica-${i}`, now, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await claimSlot(t.db, 'sync', 'sync:2026-11-29T11:00:00.000Z', 'replica-1', now, 60_000)).toBe(true);
  });

  it('seeds ATTEST_ADMINS with every role at first start only', async () => {
    const deps = testDeps(t.db);
    expect(await seedAdmins(deps, ['root@acme.test'])).toEqual(['root@acme.test']);
    expect(await seedAdmins(deps, ['other@acme.test'])).toEqual([]);
    const holders = await listRoleHolders(t.db);
    expect(holders).toEqual([{ email: 'root@acme.test', name: '', roles: ['admin', 'compliance', 'hr', 'it'] }]);
  });
});
