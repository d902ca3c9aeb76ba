/**
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
import { randomBytes } from 'node:crypto';
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

const PEOPLE = 5000;
const MANAGERS = 500;
const GRANTS = 10;
const CLICKS = Number(process.env.BENCH_CLICKS ?? 2000);
const BATCH = 50;
const PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-signing-secret';
const here = new URL('.', import.meta.url).pathname;

const name = `attest_bench_${randomBytes(4).toString('hex')}`;
const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
await admin.end();
const u = new URL(PG_BASE);
u.pathname = `/${name}`;
const url = u.toString();
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
  const a = postgres(PG_BASE, { max: 1, onnotice: () => {} });
  await a.unsafe(`drop database if exists ${name} with (force)`);
  await a.end();
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
