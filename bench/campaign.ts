/**
 * bench/campaign --items N: the launch at scale instead (see `scaleBench` below): an org of
 * 100,000 people seeded in SQL with about N live grants; dry run and launch wall time and peak
 * RSS, then mover reviews of single people in that org, with the queries they made and the
 * table rows Postgres read for them.
 *
 * bench/campaign: 5,000 people with 10 grants each (50,000 review items) and 500 managers
 * (a CEO, 9 directors, 490 line managers).
 * Measures, on Postgres:
 *   - launch: frozen population + one queued DM per reviewer;
 *   - delivery: a real `attest serve` process delivering every review DM (the real renderer,
 *     paged) to the fake Slack at 1 message/s per channel and 20/s for the workspace;
 *   - clicks: `Approve` sent 50 at a time as signed HTTP requests to that serve; ack latency
 *     p50/p99 and decisions recorded per second.
 * Prints one JSON document.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { count, eq, inArray, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { systemClock } from '../src/clock.js';
import { openDatabase } from '../src/db/client.js';
import { outbox, person, reviewItem } from '../src/db/schema/index.js';
import { runSync } from '../src/domain/directory/run-sync.js';
import { grantRole } from '../src/domain/people/grant-role.js';
import { createCampaign } from '../src/domain/reviews/create-campaign.js';
import { launchCampaign } from '../src/domain/reviews/launch-campaign.js';
import { group, member, memoryConnector, user } from '../test/fakes/memory-connector.js';
import { startFakeSlack } from '../test/fakes/slack-server.js';
import { testDeps } from '../test/helpers/deps.js';
import { SlackRequester } from '../test/helpers/slack-request.js';
import { transferPerson } from '../src/domain/lifecycle/transfer-person.js';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from '../src/db/schema/index.js';
import type { Db } from '../src/db/client.js';
import { createBenchDatabase } from './_postgres.js';

const PEOPLE = 5000;
const MANAGERS = 500;
const GRANTS = 10;
const CLICKS = Number(process.env.BENCH_CLICKS ?? 2000);
const BATCH = 50;
const SECRET = 'bench-signing-secret';
const here = new URL('.', import.meta.url).pathname;

const itemsFlag = process.argv.indexOf('--items');
const SCALE_ITEMS = itemsFlag > 0 ? Number(process.argv[itemsFlag + 1]) : process.env.BENCH_ITEMS ? Number(process.env.BENCH_ITEMS) : undefined;
if (SCALE_ITEMS !== undefined) {
  await scaleBench(SCALE_ITEMS);
  process.exit(process.exitCode ?? 0);
}

const scratch = await createBenchDatabase();
const url = scratch.url;
const database = await openDatabase({ url });
const fake = await startFakeSlack({
  rateLimits: [
    { method: 'chat.postMessage', limit: 1, windowMs: 1000, per: 'channel' },
    { method: 'chat.postMessage', limit: 20, windowMs: 1000, per: 'workspace' },
  ],
});
let serve: ReturnType<typeof spawn> | undefined;
try {
  await database.migrate();
  const deps = { ...testDeps(database.db), clock: systemClock };

  // The org: a CEO, 9 directors, 490 managers (500 managers in all), 4,500 staff; each
  // manager reviews about 9 reports with 10 grants each.
  const managerOf = (i: number) => (i === 0 ? undefined : i < 10 ? 'u0' : i < MANAGERS ? `u${1 + (i % 9)}` : `u${10 + (i % (MANAGERS - 10))}`);
  const accounts = Array.from({ length: PEOPLE }, (_, i) => user(`u${i}`, `p${i}@bench.test`, { manager: managerOf(i) }));
  const groups = Array.from({ length: 100 }, (_, g) => group(`g${g}`, `Group ${g}`, g % 10 === 0));
  const grants = accounts.flatMap((a, i) => Array.from({ length: GRANTS }, (_, k) => member(a.externalId, `g${(i + k * 7) % 100}`)));
  await runSync(deps, memoryConnector({ accounts, resources: groups, grants }, { pageSize: 1000 }));
  await database.db.execute(sql`update person set slack_user_id = 'U' || substr(email, 2, position('@' in email) - 2)`);
  await grantRole(deps, { email: 'p0@bench.test', role: 'admin', actor: 'bench' });

  const campaign = await createCampaign(deps, { name: 'Bench review', dueAt: new Date(Date.now() + 14 * 86400_000).toISOString(), actor: 'bench' });
  let started = performance.now();
  const launched = await launchCampaign(deps, { campaignId: campaign.id, actor: 'bench' });
  const launchMs = Math.round(performance.now() - started);
  const [items] = await database.db.select({ n: count() }).from(reviewItem);
  const [queued] = await database.db.select({ n: count() }).from(outbox);

  const port = await freePort();
  serve = spawn(process.execPath, ['--import', 'tsx', `${here}../src/cli/run.ts`, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.ok === true, 60_000);

  // Delivery of every review DM by the serve process.
  started = performance.now();
  await waitFor(async () => {
    const [open] = await database.db.select({ n: count() }).from(outbox).where(inArray(outbox.status, ['pending', 'sending']));
    return open!.n === 0;
  }, 600_000);
  const deliveryMs = Math.round(performance.now() - started);
  process.stderr.write(`bench/campaign: launch ${launchMs} ms, delivery ${deliveryMs} ms\n`);
  const posted = fake.callsTo('chat.postMessage').filter((c) => c.status === 200);
  const perPage = new Map<string, number>();
  for (const m of [...fake.state.messages.values()].flat()) {
    const p = m.metadata?.event_payload as { outbox_id?: string; page?: number } | undefined;
    if (p?.outbox_id) perPage.set(`${p.outbox_id}:${p.page ?? 0}`, (perPage.get(`${p.outbox_id}:${p.page ?? 0}`) ?? 0) + 1);
  }
  const failed = await database.db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'failed'));

  // Approve clicks by the assigned reviewers, 50 at a time.
  const pending = await database.db
    .select({ id: reviewItem.id, slack: person.slackUserId })
    .from(reviewItem)
    .innerJoin(person, eq(person.id, reviewItem.reviewerId))
    // Items about the reviewer's own access (the CEO's, with no one above) are refused by design.
    .where(sql`${reviewItem.snapshot}->>'personId' is distinct from ${reviewItem.reviewerId}::text`)
    .limit(CLICKS);
  const slack = new SlackRequester(base, SECRET);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  started = performance.now();
  for (let i = 0; i < pending.length; i += BATCH) {
    await Promise.all(
      pending.slice(i, i + BATCH).map(async (it) => {
        const t0 = performance.now();
        const res = await slack.action({ userId: it.slack!, actionId: 'review.approve', value: it.id });
        latencies.push(performance.now() - t0);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }),
    );
  }
  await waitFor(async () => {
    const [done] = await database.db.select({ n: count() }).from(reviewItem).where(eq(reviewItem.decision, 'approved'));
    return done!.n >= (statuses[200] ?? 0);
  }, 300_000);
  const clicksMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!);

  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'campaign',
        database: 'postgres',
        people: PEOPLE,
        items: items!.n,
        reviewers: launched.summary.reviewers,
        launchMs,
        queuedMessages: queued!.n,
        delivery: {
          ms: deliveryMs,
          postedMessages: posted.length,
          floorMs: Math.round((posted.length / 20) * 1000),
          ratio: Number((deliveryMs / ((posted.length / 20) * 1000)).toFixed(2)),
          duplicates: [...perPage.values()].reduce((s, c) => s + c - 1, 0),
          failed: failed[0]!.n,
          rateLimited: fake.callsTo('chat.postMessage').filter((c) => c.status === 429).length,
        },
        clicks: { sent: pending.length, statuses, concurrency: BATCH, ackP50Ms: pct(0.5), ackP99Ms: pct(0.99), decisionsPerSecond: Math.round((statuses[200] ?? 0) / (clicksMs / 1000)) },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  serve?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await fake.close();
  await database.close();
  await scratch.drop();
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The launch at scale: SQL-seeded org (syncing 500,000 grants through a connector would time
 * the sync, not the launch). People form a tree of 10 reports per manager under p0 (the CEO and
 * admin); about 1% of accounts are suspended, 1% of people terminated or without Slack, 1,000
 * orphaned accounts, 1,000 resources (10% privileged, half with an owner), and 1,000 grants
 * carry a grant request approved by the subject's manager (segregation of duties applies).
 */
async function scaleBench(items: number): Promise<void> {
  const people = Number(process.env.BENCH_PEOPLE ?? 100_000);
  const orphans = 1000;
  const each = Math.max(1, Math.round(items / (people + orphans)));
  const scratch = await createBenchDatabase();
  const url = scratch.url;
  const database = await openDatabase({ url });
  const seed = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await database.migrate();
    const t0 = performance.now();
    for (const q of seedStatements(people, orphans, each)) await seed.unsafe(q);
    await seed.unsafe('analyze');
    const [{ n: grants }] = (await seed.unsafe('select count(*)::int n from access_grant')) as unknown as [{ n: number }];
    process.stderr.write(`bench/campaign: seeded ${people} people, ${grants} grants in ${Math.round(performance.now() - t0)} ms\n`);
    const deps = { ...testDeps(database.db), clock: systemClock };
    const draft = await createCampaign(deps, { name: 'Scale review', dueAt: new Date(Date.now() + 14 * 86400_000).toISOString(), actor: 'bench' });

    const dry = await measure(() => launchCampaign(deps, { campaignId: draft.id, actor: 'bench', dryRun: true }));
    process.stderr.write(`bench/campaign: dry run ${dry.ms} ms\n`);
    const launch = await measure(() => launchCampaign(deps, { campaignId: draft.id, actor: 'bench' }));
    process.stderr.write(`bench/campaign: launch ${launch.ms} ms\n`);
    const [{ n: frozen }] = (await seed.unsafe('select count(*)::int n from review_item')) as unknown as [{ n: number }];
    const [{ n: queued }] = (await seed.unsafe(`select count(*)::int n from outbox where kind = 'review.request'`)) as unknown as [{ n: number }];

    const movers = [];
    for (const i of [54_321, 77_777, 12_345, 99_001, 31_337]) movers.push(await moverReview(url, seed, deps, i % people));
    const byMs = [...movers].sort((a, b) => a.ms - b.ms);

    process.stdout.write(
      `${JSON.stringify(
        {
          bench: 'campaign-scale',
          database: 'postgres',
          people,
          liveGrants: grants,
          launch: { ms: launch.ms, peakRssMb: launch.peakRssMb, processMaxRssMb: launch.processMaxRssMb, items: frozen, reviewers: launch.result.summary.reviewers, queuedMessages: queued, fallbacks: launch.result.summary.fallbacks.length },
          dryRun: { ms: dry.ms, peakRssMb: dry.peakRssMb, processMaxRssMb: dry.processMaxRssMb, items: dry.result.summary.items, reviewers: dry.result.summary.reviewers },
          moverReview: { medianMs: byMs[Math.floor(byMs.length / 2)]!.ms, runs: movers },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await seed.end();
    await database.close();
    // BENCH_KEEP_DB=1 keeps the seeded database for EXPLAIN (its name goes to stderr).
    if (process.env.BENCH_KEEP_DB) process.stderr.write(`bench/campaign: kept database ${scratch.name}\n`);
    else await scratch.drop();
  }
}

function seedStatements(people: number, orphans: number, each: number): string[] {
  const mgr = (i: string) => `case when ${i} > 0 then md5('p' || ((${i} - 1) / 10))::uuid end`;
  return [
    `insert into person (id, email, name, department, manager_id, slack_user_id, source, status)
       select md5('p' || i)::uuid, 'p' || i || '@bench.test', 'Person ' || i, 'Dept ' || (i % 20), ${mgr('i')},
              case when i % 1009 <> 5 then 'U' || i end, 'bench', case when i % 997 = 3 then 'terminated' else 'active' end
       from generate_series(0, ${people - 1}) i`,
    `insert into person_role (person_id, role, granted_by) values (md5('p0')::uuid, 'admin', 'bench'), (md5('p1')::uuid, 'admin', 'bench')`,
    `insert into account (id, source, system, external_id, login, email, display_name, status, last_login_at, person_id, first_seen_at, last_seen_at)
       select md5('a' || i)::uuid, 'okta', 'okta', 'u' || i, 'p' || i || '@bench.test', 'p' || i || '@bench.test', 'Person ' || i,
              case when i % 100 = 99 then 'suspended' else 'active' end, now() - ((i % 90) || ' days')::interval, md5('p' || i)::uuid, now(), now()
       from generate_series(0, ${people - 1}) i`,
    `insert into account (id, source, system, external_id, login, status, first_seen_at, last_seen_at)
       select md5('a' || i)::uuid, 'okta', 'okta', 'u' || i, 'svc-' || i, 'active', now(), now()
       from generate_series(${people}, ${people + orphans - 1}) i`,
    `insert into resource (id, source, system, external_id, kind, name, privileged, owner_id, owner_email, first_seen_at, last_seen_at)
       select md5('r' || j)::uuid, 'okta', 'okta', 'g' || j, 'group', 'Group ' || j, j % 10 = 0,
              case when j % 2 = 0 then md5('p' || (j * 37 % ${people}))::uuid end,
              case when j % 4 = 1 then 'p' || (j * 53 % ${people}) || '@bench.test' end, now(), now()
       from generate_series(0, 999) j`,
    `insert into access_grant (id, source, account_id, resource_id, via, privileged, first_seen_at, last_seen_at)
       select md5('g' || i || '-' || k)::uuid, 'okta', md5('a' || i)::uuid, md5('r' || ((i * 7 + k * 131) % 1000))::uuid, 'direct', false, now(), now()
       from generate_series(0, ${people + orphans - 1}) i, generate_series(0, ${each - 1}) k`,
    `insert into access_request (kind, status, subject_person_id, grant_id, requested_by, approved_by, created_at)
       select 'grant', 'done', md5('p' || i)::uuid, md5('g' || i || '-0')::uuid, 'person:' || md5('p' || i)::uuid, 'person:' || ${mgr('i')}, now()
       from generate_series(1000, 1999) i`,
    `insert into sync_run (source, status, started_at, finished_at, counts)
       values ('okta', 'succeeded', now(), now(), '{"accounts": ${people + orphans}, "grants": ${(people + orphans) * each}}')`,
  ];
}

interface Measured<T> {
  result: T;
  ms: number;
  /** Highest RSS sampled while it ran (every 10 ms, and once at the end). */
  peakRssMb: number;
  /** The process's peak RSS so far (getrusage): an upper bound, whatever ran before included. */
  processMaxRssMb: number;
}

async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = performance.now();
  try {
    const result = await fn();
    const ms = Math.round(performance.now() - started);
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, ms, peakRssMb: Math.round(peak / 2 ** 20), processMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * One HR transfer (what `POST /hooks/hr` runs) on a connection of its own, so the queries it
 * sends can be counted, and the rows Postgres read for it taken from pg_stat_user_tables.
 */
async function moverReview(url: string, seed: postgres.Sql, base: Pick<ReturnType<typeof testDeps>, 'config'> & { clock: typeof systemClock }, i: number) {
  let queries = 0;
  const client = postgres(url, { max: 1, onnotice: () => {}, debug: () => void (queries += 1) });
  const db = drizzle(client, { schema }) as unknown as Db;
  await client`select 1`;
  // The bench's own counting queries on `seed` must reach the statistics before the baseline.
  await seed.unsafe('select pg_stat_force_next_flush()');
  await seed.unsafe('select 1');
  const before = await tableReads(seed);
  queries = 0;
  const started = performance.now();
  const res = await transferPerson({ ...base, db }, { email: `p${i}@bench.test`, department: 'Moved', managerEmail: 'p42@bench.test', actor: 'bench', origin: 'bench' });
  const ms = Math.round(performance.now() - started);
  const sent = queries;
  // Statistics reach the shared views when a backend goes idle, at most once a second unless forced.
  await client`select pg_stat_force_next_flush()`;
  await client`select 1`;
  await client.end();
  await new Promise((r) => setTimeout(r, 200));
  const after = await tableReads(seed);
  const rowsRead: Record<string, number> = {};
  for (const [table, n] of after) {
    const d = n - (before.get(table) ?? 0);
    if (d > 0) rowsRead[table] = d;
  }
  const [{ n: items }] = (await seed.unsafe(`select count(*)::int n from review_item where campaign_id = '${res.campaignId}'`)) as unknown as [{ n: number }];
  return { person: `p${i}`, ms, items, queries: sent, rowsRead };
}

async function tableReads(sqlc: postgres.Sql): Promise<Map<string, number>> {
  await sqlc.unsafe('select pg_stat_clear_snapshot()');
  const rows = await sqlc.unsafe<{ relname: string; n: string }[]>(
    `select relname, (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text n from pg_stat_user_tables`,
  );
  return new Map(rows.map((r) => [r.relname, Number(r.n)]));
}
