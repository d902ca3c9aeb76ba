/**
 * bench/wake: how soon work that a change makes due shows up, with one and with two real
 * `attest serve` replicas on one Postgres database (the change arrives at one replica; either
 * may carry it out):
 *   - offboarding: a signed HR `employee.terminated` effective now → the user is DEPROVISIONED
 *     at the fake Okta (aim: within 10 s; the automated-task poll alone is a minute);
 *   - click: a signed `Approve` → the reviewer's DM is refreshed (chat.update at the fake Slack).
 * Prints one JSON document. BENCH_TRIALS (default 5) trials of each per set-up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createConnector } from '../src/connectors/index.js';
import { openDatabase } from '../src/db/client.js';
import { person, reviewItem } from '../src/db/schema/index.js';
import { runSync } from '../src/domain/directory/run-sync.js';
import { grantRole } from '../src/domain/people/grant-role.js';
import { createCampaign } from '../src/domain/reviews/create-campaign.js';
import { launchCampaign } from '../src/domain/reviews/launch-campaign.js';
import { createLogger } from '../src/logger.js';
import { OktaOrg, startFakeOkta } from '../test/fakes/okta/index.js';
import { startFakeSlack, type FakeUser } from '../test/fakes/slack-server.js';
import { testDeps } from '../test/helpers/deps.js';
import { SlackRequester } from '../test/helpers/slack-request.js';
import { createBenchDatabase } from './_postgres.js';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const SECRET = 'bench-signing-secret';
const HR_SECRET = 'bench-hr-secret';
const OKTA_TOKEN = 'bench-okta-token';
const here = new URL('.', import.meta.url).pathname;

interface SetupResult {
  replicas: number;
  offboardingMs: Stats;
  clickToRefreshMs: Stats;
}
interface Stats {
  min: number;
  p50: number;
  max: number;
  samples: number[];
}

const results: SetupResult[] = [];
for (const replicas of [1, 2]) results.push(await runSetup(replicas));
process.stdout.write(`${JSON.stringify({ bench: 'wake', database: 'postgres', trials: TRIALS, results }, null, 2)}\n`);

async function runSetup(replicas: number): Promise<SetupResult> {
  const scratch = await createBenchDatabase();
  const url = scratch.url;
  const database = await openDatabase({ url });

  // A manager with reports: one report per offboarding trial, and one review item per click trial.
  const org = new OktaOrg();
  const team = org.addGroup({ name: 'Engineering' });
  const boss = org.addUser({ profile: { email: 'boss@bench.test', firstName: 'Bo', lastName: 'Boss' } });
  const reports = Array.from({ length: TRIALS * 2 }, (_, i) =>
    org.addUser({ profile: { email: `r${i}@bench.test`, firstName: 'R', lastName: String(i), manager: 'boss@bench.test' } }),
  );
  for (const r of reports) org.addMember(team.id, r.id);
  const okta = await startFakeOkta({ org, apiToken: OKTA_TOKEN, rateLimits: { buckets: [{ pattern: /^\//, limit: 1_000_000 }] } });
  const slackUsers: FakeUser[] = [boss, ...reports].map((p, i) => ({ id: `U${i}`, name: p.profile.email!, email: p.profile.email!, tz: 'UTC' }));
  const fake = await startFakeSlack({ users: slackUsers });
  const env = {
    DATABASE_URL: url,
    OKTA_ORG_URL: okta.url,
    OKTA_API_TOKEN: OKTA_TOKEN,
    REVOKE_MODE: 'auto',
    HR_WEBHOOK_SECRET: HR_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    LOG_LEVEL: 'warn',
    TZ: 'UTC',
  };
  const children: ChildProcess[] = [];
  try {
    await database.migrate();
    const config = loadConfig(env);
    const deps = { ...testDeps(database.db), clock: systemClock, config };
    await runSync(deps, await createConnector('okta', config, createLogger({ level: 'silent' })));
    for (const su of slackUsers) await database.db.update(person).set({ slackUserId: su.id }).where(eq(person.email, su.email!));
    await grantRole(deps, { email: 'boss@bench.test', role: 'admin', actor: 'bench' });
    const campaign = await createCampaign(deps, { name: 'Wake bench', dueAt: new Date(Date.now() + 14 * 86400_000).toISOString(), actor: 'bench' });
    await launchCampaign(deps, { campaignId: campaign.id, actor: 'bench' });

    const bases: string[] = [];
    for (let i = 0; i < replicas; i += 1) {
      const port = await freePort();
      children.push(spawn(process.execPath, ['--import', 'tsx', `${here}../src/cli/run.ts`, 'serve'], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] }));
      bases.push(`http://127.0.0.1:${port}`);
    }
    for (const base of bases) await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.ok === true, 60_000);
    const [bossRow] = await database.db.select().from(person).where(eq(person.email, 'boss@bench.test'));
    // The review DM has gone out before the clicks start.
    await waitFor(async () => fake.callsTo('chat.postMessage').some((c) => c.body.channel === bossRow!.slackUserId), 60_000);

    // Offboarding: each trial's webhook goes to the replicas in turn.
    const offboarding: number[] = [];
    for (let i = 0; i < TRIALS; i += 1) {
      const leaver = reports[i]!;
      const body = JSON.stringify({
        id: `bench-${i}-${randomBytes(4).toString('hex')}`,
        type: 'employee.terminated',
        occurred_at: new Date().toISOString(),
        employee: { email: leaver.profile.email, effective_at: new Date().toISOString() },
      });
      const t = Math.floor(Date.now() / 1000);
      const sig = createHmac('sha256', HR_SECRET).update(`${t}.${body}`).digest('hex');
      const started = performance.now();
      const res = await fetch(`${bases[i % bases.length]}/hooks/hr`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-attest-signature': `t=${t},v1=${sig}` }, body });
      if (res.status !== 202) throw new Error(`HR webhook answered ${res.status}: ${await res.text()}`);
      await waitFor(async () => org.users.get(leaver.id)!.status === 'DEPROVISIONED', 60_000, 5);
      offboarding.push(Math.round(performance.now() - started));
    }

    // Click → refresh: Approve sent to the last replica, the DM refresh timed at the fake.
    const clicks: number[] = [];
    const items = await database.db
      .select({ id: reviewItem.id })
      .from(reviewItem)
      .where(and(eq(reviewItem.reviewerId, bossRow!.id), eq(reviewItem.decision, 'pending')))
      .limit(TRIALS);
    const slack = new SlackRequester(bases[bases.length - 1]!, SECRET);
    // chat.update names the DM's channel (D…), which chat.postMessage to the user id answered with.
    const dm = new Set(
      fake
        .callsTo('chat.postMessage')
        .filter((c) => c.body.channel === bossRow!.slackUserId)
        .map((c) => String((c.response as { channel?: string }).channel)),
    );
    for (const item of items) {
      const before = fake.callsTo('chat.update').length;
      const started = performance.now();
      const res = await slack.action({ userId: bossRow!.slackUserId!, actionId: 'review.approve', value: item.id });
      if (res.status !== 200) throw new Error(`click answered ${res.status}`);
      await waitFor(async () => fake.callsTo('chat.update').slice(before).some((c) => dm.has(String(c.body.channel))), 30_000, 5);
      clicks.push(Math.round(performance.now() - started));
      // chat.update is paced per channel (about one a second): let it settle between trials.
      await new Promise((r) => setTimeout(r, 1500));
    }
    process.stderr.write(`bench/wake: ${replicas} replica(s): offboarding ${offboarding.join(', ')} ms; click→refresh ${clicks.join(', ')} ms\n`);
    return { replicas, offboardingMs: stats(offboarding), clickToRefreshMs: stats(clicks) };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r(null)))));
    await fake.close();
    await okta.close();
    await database.close();
    await scratch.drop();
  }
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return { min: s[0] ?? 0, p50: s[Math.floor(s.length / 2)] ?? 0, max: s[s.length - 1] ?? 0, samples };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
