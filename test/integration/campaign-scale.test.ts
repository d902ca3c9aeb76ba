import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { draftCampaign } from '../factories/campaign.js';
import { launchCampaign } from '../../src/domain/reviews/launch-campaign.js';
import { approveAllRemaining } from '../../src/domain/reviews/approve-all-remaining.js';
import { outbox, reviewItem } from '../../src/db/schema/index.js';

const PEOPLE = 5000;
const RESOURCES = 10;
const ITEMS = PEOPLE * RESOURCES;

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;

/** 5,000 people under 50 managers, each in 10 groups: 50,000 grants, seeded in SQL for speed. */
beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  const statements = `
    insert into person (id, email, name, department, slack_user_id, manager_id)
      select md5('p' || n)::uuid, 'p' || n || '@big.test', 'Person ' || n, 'Dept ' || (n % 10), 'U' || n,
             case when n > 50 then md5('p' || (n % 50 + 1))::uuid end
      from generate_series(1, ${PEOPLE}) n;
    insert into person_role (person_id, role, granted_by) values (md5('p1')::uuid, 'admin', 'test');
    insert into account (id, source, system, external_id, login, email, status, person_id, first_seen_at, last_seen_at)
      select md5('a' || n)::uuid, 'okta', 'okta', 'a' || n, 'p' || n || '@big.test', 'p' || n || '@big.test', 'active', md5('p' || n)::uuid, now(), now()
      from generate_series(1, ${PEOPLE}) n;
    insert into resource (id, source, system, external_id, kind, name, privileged, first_seen_at, last_seen_at)
      select md5('r' || n)::uuid, 'okta', 'okta', 'r' || n, 'group', 'Group ' || n, n = 1, now(), now()
      from generate_series(1, ${RESOURCES}) n;
    insert into access_grant (source, account_id, resource_id, via, first_seen_at, last_seen_at)
      select 'okta', md5('a' || a)::uuid, md5('r' || r)::uuid, 'direct', now(), now()
      from generate_series(1, ${PEOPLE}) a, generate_series(1, ${RESOURCES}) r;
    insert into sync_run (source, status, started_at, finished_at, counts)
      values ('okta', 'succeeded', now(), now(), '{"accounts": ${PEOPLE}, "grants": ${ITEMS}}');
  `;
  // One statement at a time: PGlite's extended protocol refuses several in one.
  for (const statement of statements.split(';').filter((s) => s.trim())) await t.raw(statement);
}, 120_000);
afterAll(async () => {
  await t.drop();
});

describe('launching a large campaign', () => {
  it(`freezes ${ITEMS} items in one transaction`, async () => {
    const c = await draftCampaign(deps);
    const started = performance.now();
    const res = await launchCampaign(deps, { campaignId: c.id, actor: 'test' });
    const ms = performance.now() - started;
    expect(res.summary).toMatchObject({ items: ITEMS, reviewers: 50 });
    const [{ n }] = (await t.db.select({ n: sql<number>`count(*)::int` }).from(reviewItem)) as [{ n: number }];
    expect(n).toBe(ITEMS);
    expect(await t.db.select().from(outbox).where(eq(outbox.kind, 'review.request'))).toHaveLength(50);
    // Speed is measured by `npm run bench -- campaign --items N`, not asserted here (CI's cores are shared).
    console.log(`launch of ${ITEMS} items on ${t.kind}: ${Math.round(ms)} ms`);

    const bulk = performance.now();
    const approved = await approveAllRemaining(deps, { campaignId: c.id, actorPersonId: res.campaign.ownerId });
    expect(approved.approved).toBeGreaterThan(0);
    console.log(`approve all of ${approved.approved} items on ${t.kind}: ${Math.round(performance.now() - bulk)} ms`);
  }, 180_000);
});
