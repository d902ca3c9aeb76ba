import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { fixedClock } from '../../src/clock.js';
import type { Db } from '../../src/db/client.js';
import { appendEvidence, type NewEvidence } from '../../src/domain/evidence/append-evidence.js';

/**
 * A launched campaign big enough that exporting it takes seconds, seeded in bulk with SQL as
 * bench/export.ts does, but in real time (it started an hour ago and is still open), so a
 * `serve` process can take clicks on it while it is exported. Every 20th item is pending; one
 * pending item is reviewed by a reviewer of its own (so the DM refreshed after a click on it is
 * small), for the test to click. One `review.decided` event per decision, appended the real way.
 */
export interface BigCampaign {
  campaignId: string;
  items: number;
  decided: number;
  /** A pending item, and the Slack user who may approve it. */
  clickable: { itemId: string; reviewerSlackUserId: string };
  /** A person with the compliance role, for `/attest export`. */
  complianceSlackUserId: string;
}

/** Postgres's md5(text)::uuid, in JS, so events can name the rows SQL made. */
const uuidOf = (text: string) => createHash('md5').update(text).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

export async function seedBigCampaign(db: Db, opts: { people: number; grantsEach: number; now?: Date }): Promise<BigCampaign> {
  const { people, grantsEach } = opts;
  const now = opts.now ?? new Date();
  const started = new Date(now.getTime() - 3_600_000);
  const iso = (d: Date) => d.toISOString();
  const campaignId = uuidOf('big-campaign');
  const run = (q: string) => db.execute(sql.raw(q));
  // Managers are people 1..50, each with a Slack id; person 0 is compliance.
  await run(`insert into person (id, email, name, department, manager_id, slack_user_id, source, status)
    select md5('p'||i)::uuid, 'user'||i||'@big.test', 'User '||i, 'dept'||(i % 25),
           case when i > 50 then md5('p'||(1 + i % 50))::uuid end, 'UBIG'||i, 'big', 'active'
    from generate_series(0, ${people}) i`);
  await run(`insert into person_role (person_id, role, granted_by) values (md5('p0')::uuid, 'compliance', 'test')`);
  await run(`insert into resource (id, source, system, external_id, kind, name, privileged, first_seen_at, last_seen_at)
    select md5('r'||j)::uuid, 'okta', 'okta', 'res'||j, 'app', 'App '||j, j <= 2, '2025-01-01', '${iso(started)}'
    from generate_series(1, ${grantsEach}) j`);
  await run(`insert into account (id, source, system, external_id, login, email, status, last_login_at, person_id, first_seen_at, last_seen_at)
    select md5('a'||i)::uuid, 'okta', 'okta', 'u'||i, 'user'||i||'@big.test', 'user'||i||'@big.test', 'active',
           timestamptz '${iso(started)}' - ((i % 200) || ' days')::interval, md5('p'||i)::uuid, '2025-01-01', '${iso(started)}'
    from generate_series(1, ${people}) i`);
  await run(`insert into access_grant (id, source, account_id, resource_id, via, privileged, first_seen_at, last_seen_at)
    select md5('g'||i||'-'||j)::uuid, 'okta', md5('a'||i)::uuid, md5('r'||j)::uuid, 'direct', j <= 2, '2025-01-01', '${iso(started)}'
    from generate_series(1, ${people}) i, generate_series(1, ${grantsEach}) j`);
  await run(`insert into campaign (id, name, owner_id, status, due_at, created_by, created_at, launched_at)
    values ('${campaignId}', 'Big review', md5('p0')::uuid, 'launched', '${iso(new Date(now.getTime() + 14 * 86_400_000))}', 'test', '${iso(started)}', '${iso(new Date(started.getTime() + 60_000))}')`);
  // Item k = i * grantsEach + j: pending when k % 20 = 0, approved otherwise, decided k ms after the launch.
  await run(`insert into review_item (id, campaign_id, grant_id, snapshot, reviewer_id, decision, decided_by, decided_at, reason)
    select md5('i'||i||'-'||j)::uuid, '${campaignId}', md5('g'||i||'-'||j)::uuid,
      jsonb_build_object('personId', p.id, 'personName', p.name, 'personEmail', p.email, 'department', p.department,
        'managerEmail', m.email, 'system', 'okta', 'source', 'okta', 'accountLogin', p.email, 'accountStatus', 'active',
        'resourceId', md5('r'||j)::uuid, 'resourceName', 'App '||j, 'resourceKind', 'app', 'via', 'direct',
        'privileged', j <= 2, 'lastLoginAt', null, 'accountId', md5('a'||i)::uuid),
      coalesce(p.manager_id, md5('p0')::uuid),
      case when (i * ${grantsEach} + j) % 20 = 0 then 'pending' else 'approved' end,
      case when (i * ${grantsEach} + j) % 20 <> 0 then coalesce(p.manager_id, md5('p0')::uuid) end,
      case when (i * ${grantsEach} + j) % 20 <> 0 then timestamptz '${iso(started)}' + interval '2 minutes' + ((i * ${grantsEach} + j) || ' milliseconds')::interval end,
      null
    from generate_series(1, ${people}) i cross join generate_series(1, ${grantsEach}) j
    join person p on p.id = md5('p'||i)::uuid left join person m on m.id = p.manager_id`);

  const clock = fixedClock(started);
  await db.transaction((tx) => appendEvidence(tx, clock, [
    { actor: 'test', action: 'campaign.created', subject: { campaign: campaignId }, payload: {} },
    { actor: 'test', action: 'campaign.launched', subject: { campaign: campaignId }, payload: { items: people * grantsEach } },
  ]));
  let batch: NewEvidence[] = [];
  let decided = 0;
  const flush = async () => {
    await db.transaction((tx) => appendEvidence(tx, clock, batch));
    batch = [];
  };
  clock.advance(120_000);
  for (let i = 1; i <= people; i++) {
    for (let j = 1; j <= grantsEach; j++) {
      if ((i * grantsEach + j) % 20 === 0) continue;
      decided += 1;
      batch.push({ actor: 'person:big', action: 'review.decided', subject: { campaign: campaignId, item: uuidOf(`i${i}-${j}`) }, payload: { decision: 'approved', access: { personEmail: `user${i}@big.test`, resourceName: `App ${j}` } } });
      if (batch.length === 5000) {
        clock.advance(5000);
        await flush();
      }
    }
  }
  if (batch.length) await flush();

  // Item (60, j) with (60 * grantsEach + j) % 20 = 0 is pending; it goes to a reviewer of its own.
  const i = 60;
  const j = Array.from({ length: grantsEach }, (_, k) => k + 1).find((k) => (i * grantsEach + k) % 20 === 0);
  if (j === undefined || people < i) throw new Error('seedBigCampaign: need at least 60 people and a grant count that leaves person 60 a pending item');
  const itemId = uuidOf(`i${i}-${j}`);
  await run(`insert into person (id, email, name, slack_user_id, source, status) values (md5('reviewer')::uuid, 'reviewer@big.test', 'Rita Reviewer', 'UBIGREVIEWER', 'big', 'active')`);
  await run(`update review_item set reviewer_id = md5('reviewer')::uuid where id = '${itemId}'`);
  await run('analyze');
  return { campaignId, items: people * grantsEach, decided, clickable: { itemId, reviewerSlackUserId: 'UBIGREVIEWER' }, complianceSlackUserId: 'UBIG0' };
}
