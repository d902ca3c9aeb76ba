import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema/index.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import type { TestDatabase } from '../helpers/db.js';
import { ServeUnderFault, waitUntil, type FaultRun } from '../helpers/fault-kit.js';
import { expectChainIntact, faultScenario, type ScratchDir } from '../helpers/fault-scenario.js';
import { seedLaunchedCampaign } from '../helpers/fault-review-org.js';

/**
 * Scenario 1 (Postgres): a campaign's review DMs are being delivered by a real `attest serve`
 * when it is SIGKILLed, several times: while a chat.postMessage is in flight at the fake Slack
 * (it lands after the process died: the restart must find it in history, not post it again),
 * and during start-up. At the end every page of every review DM is in Slack exactly once and
 * every outbox row is `sent`.
 */
const FILE = 'test/faults/campaign-delivery.test.ts';
const LATENCY_MS = 700;
/** Kills while a post is in flight; each costs the outbox lock (30 s) before the row is taken up again. */
const MID_SEND_KILLS = 3;
const START_UP_KILLS = 2;

describe.skipIf(!process.env.TEST_DATABASE_URL)('faults: campaign DM delivery under SIGKILL (Postgres)', () => {
  let run: FaultRun;
  let t: TestDatabase;
  let fake: FakeSlack;
  let serve: ServeUnderFault;
  let dir: ScratchDir;
  let reviewers = 0;
  /** chat.postMessage requests that reached the fake (counted on arrival, before its latency). */
  let arrivals = 0;

  faultScenario({ scenario: 'campaign-delivery', file: FILE, dirPrefix: 'attest-fault-delivery' }, (opened) => ({ run, dir, t } = opened));
  beforeAll(async () => {
    const { summary } = await seedLaunchedCampaign(t, { managers: 17, reportsPer: 3 });
    reviewers = summary.reviewers;
    fake = await startFakeSlack({
      latencyMs: LATENCY_MS,
      rateLimits: [
        { method: 'chat.postMessage', limit: 1, windowMs: 1000, per: 'channel' },
        { method: 'chat.postMessage', limit: 20, windowMs: 1000, per: 'workspace' },
      ],
    });
    // An injection that never matches: a hook that sees each post as it arrives.
    fake.inject('chat.postMessage', {
      times: Infinity,
      match: () => {
        arrivals += 1;
        return false;
      },
    });
    serve = new ServeUnderFault(run, { databaseUrl: t.url!, slackApiUrl: fake.apiUrl });
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    await fake?.close();
  });

  const openRows = async () => Number((await t.db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'pending')))[0]!.n) +
    Number((await t.db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'sending')))[0]!.n);
  const completed = () => fake.callsTo('chat.postMessage').length;

  it('posts every review DM page exactly once and settles every outbox row as sent', async () => {
    expect(reviewers, 'the campaign should have about 20 reviewers').toBeGreaterThanOrEqual(18);
    const queued = Number((await t.db.select({ n: count() }).from(outbox))[0]!.n);
    run.note(`${reviewers} reviewers, ${queued} outbox rows queued`);

    let startUpKills = 0;
    for (let k = 0; k < MID_SEND_KILLS; k += 1) {
      await serve.start();
      const before = arrivals;
      // A post of this incarnation is in flight (a restarted one first waits out the dead one's 30 s locks).
      const inFlight = await waitUntil('a chat.postMessage from this serve to reach the fake Slack', async () => arrivals > before || (await openRows()) === 0 ? true : undefined, {
        timeoutMs: 120_000,
        intervalMs: 20,
        explain: () => run.explain(),
        abortIf: () => (serve.current!.alive() ? undefined : 'serve exited'),
      }).then(() => arrivals > before);
      if (!inFlight) {
        run.note('everything was delivered before the next mid-send kill');
        break;
      }
      // Mostly inside the fake's latency (the post lands after the process died), sometimes just after.
      const delay = run.rng.between(0, LATENCY_MS * 1.3);
      await serve.kill(delay, 'mid-send', () => `${arrivals - completed()} posts in flight, ${completed()} answered so far`);

      if (startUpKills < START_UP_KILLS) {
        // And once in a while during start-up (migrations, background work starting).
        await serve.start({ healthy: false });
        startUpKills += 1;
        await serve.kill(run.rng.between(500, 6000), 'start-up');
      }
    }

    await serve.start();
    await waitUntil('every outbox row to leave pending/sending', async () => ((await openRows()) === 0 ? true : undefined), {
      timeoutMs: 150_000,
      intervalMs: 250,
      explain: () => run.explain(),
      abortIf: () => (serve.current!.alive() ? undefined : 'serve exited'),
    });

    const rows = await t.db.select({ id: outbox.id, kind: outbox.kind, status: outbox.status, result: outbox.result, lastError: outbox.lastError }).from(outbox);
    const perPage = new Map<string, number>();
    const pagesOf = new Map<string, number[]>();
    const tsOf = new Map<string, string>();
    /** "page i of n" in a multi-page DM's text: n, the number of pages the renderer made. */
    const declared = new Map<string, number>();
    for (const m of [...fake.state.messages.values()].flat()) {
      const p = m.metadata?.event_payload as { outbox_id?: string; page?: number } | undefined;
      if (!p?.outbox_id) continue;
      const key = `${p.outbox_id}:${p.page ?? 0}`;
      perPage.set(key, (perPage.get(key) ?? 0) + 1);
      tsOf.set(key, m.ts);
      pagesOf.set(p.outbox_id, [...(pagesOf.get(p.outbox_id) ?? []), p.page ?? 0]);
      const n = /page \d+ of (\d+)/.exec(m.text ?? '')?.[1];
      declared.set(p.outbox_id, n ? Number(n) : 1);
    }
    const duplicates = [...perPage].filter(([, n]) => n > 1);
    const multiPage = [...pagesOf.values()].filter((p) => p.length > 1).length;
    run.note(`${perPage.size} pages posted for ${pagesOf.size} rows (${multiPage} DMs of several pages); ${arrivals} posts reached the fake, ${fake.callsTo('conversations.history').length} history look-ups`);

    expect(run.landed(), `at least ${MID_SEND_KILLS} kills should have landed\n${run.explain()}`).toBeGreaterThanOrEqual(MID_SEND_KILLS);
    expect(duplicates, `review DM pages posted more than once (outbox_id:page → times)\n${run.explain()}`).toEqual([]);
    expect(rows.filter((r) => r.status !== 'sent'), `outbox rows not sent\n${run.explain()}`).toEqual([]);
    const requests = rows.filter((r) => r.kind === 'review.request');
    expect(requests.length, 'one review.request row per reviewer').toBe(reviewers);
    for (const r of requests) {
      const pages = [...(pagesOf.get(r.id) ?? [])].sort((a, b) => a - b);
      expect(pages.length, `review DM ${r.id} has no page in Slack\n${run.explain()}`).toBeGreaterThan(0);
      const n = declared.get(r.id) ?? 0;
      expect(pages, `review DM ${r.id}: its pages should be 0..${n - 1}, each once\n${run.explain()}`).toEqual(Array.from({ length: n }, (_, i) => i));
      // What the row recorded is what Slack holds: the same pages at the same ts.
      const recorded = ((r.result?.messages ?? []) as { page: number; ts: string }[]).map((x) => `${x.page}:${x.ts}`).sort();
      expect(recorded, `review DM ${r.id}: outbox.result pages differ from Slack's\n${run.explain()}`).toEqual(pages.map((p) => `${p}:${tsOf.get(`${r.id}:${p}`)}`).sort());
    }

    await serve.stop();
    await expectChainIntact(run, dir, t);
  }, 420_000);
});
