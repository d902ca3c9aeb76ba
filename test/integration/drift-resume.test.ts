import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createOktaConnector } from '../../src/connectors/okta/index.js';
import { campaign, outbox, person, personRole, reviewItem } from '../../src/db/schema/index.js';
import { syncSource } from '../../src/domain/directory/sync-source.js';
import { sampleOktaOrg, startFakeOkta, type FakeOkta } from '../fakes/okta/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * Unapproved access is announced after the sync commits. When that announcement did not happen
 * (the process died in between, or there was no admin yet to own the drift campaign), the next
 * sync still announces it, although it adds nothing itself.
 */
const TOKEN = 'ssws-drift-resume';
const { org, users } = sampleOktaOrg();
const design = org.addGroup({ name: 'Design' });

let t: TestDatabase;
let okta: FakeOkta;
let deps: ReturnType<typeof testDeps>;
const sync = () => syncSource(deps, 'okta', async () => createOktaConnector({ orgUrl: okta.url, apiToken: TOKEN }), { triggeredBy: 'test' });
const driftItems = () => t.db.select({ id: reviewItem.id }).from(reviewItem).innerJoin(campaign, eq(campaign.id, reviewItem.campaignId)).where(eq(campaign.kind, 'drift'));
const notices = () => t.db.select().from(outbox).where(eq(outbox.kind, 'drift.notice'));

beforeAll(async () => {
  t = await createTestDatabase();
  okta = await startFakeOkta({ apiToken: TOKEN, org });
  deps = testDeps(t.db);
});
afterAll(async () => {
  await okta?.close();
  await t?.drop();
});

describe('unapproved access the last sync could not announce', () => {
  it('is announced by the next sync, once', async () => {
    expect((await sync()).status).toBe('succeeded');
    org.addMember(design.id, users.bob.id);
    // No admin yet: nobody can own the drift campaign, so this sync announces nothing.
    expect((await sync()).status).toBe('succeeded');
    expect(await driftItems()).toHaveLength(0);

    const [alice] = await t.db.select({ id: person.id }).from(person).where(eq(person.email, 'alice@example.com'));
    await t.db.insert(personRole).values({ personId: alice!.id, role: 'admin', grantedBy: 'test' });
    const quiet = await sync();
    expect(quiet).toMatchObject({ status: 'succeeded', added: 0 });
    expect(await driftItems()).toHaveLength(1);
    expect(await notices()).toHaveLength(1);

    // And never twice.
    await sync();
    expect(await driftItems()).toHaveLength(1);
    expect(await notices()).toHaveLength(1);
    expect(await t.db.execute(sql`select 1 from evidence_event where action = 'access.unapproved'`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows).length)).toBe(1);
  });
});
