import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceEvent, person, reviewItem } from '../../src/db/schema/index.js';
import { ACTION } from '../../src/slack/ids.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import type { TestDatabase } from '../helpers/db.js';
import { ServeUnderFault, waitUntil, type FaultRun } from '../helpers/fault-kit.js';
import { expectChainIntact, faultScenario, type ScratchDir } from '../helpers/fault-scenario.js';
import { seedLaunchedCampaign } from '../helpers/fault-review-org.js';
import { blockActionsPayload, interactionBody, type SlackRequestBody } from '../helpers/slack-request.js';

/**
 * Scenario 2 (Postgres): reviewers' signed `Approve` clicks arrive at a real `attest serve`
 * concurrently; it is SIGKILLed mid-way through each batch, restarted, and the very same
 * requests are delivered again, as Slack retries them (same trigger_id, X-Slack-Retry-Num).
 * Each item ends decided exactly once, with exactly one `review.decided` evidence event. A
 * second test reports clicks that were acked (200) but not yet recorded when the process died:
 * Slack would never redeliver those.
 */
const FILE = 'test/faults/decisions.test.ts';
const ROUNDS = 4;
const BATCH = 40;

interface Click {
  itemId: string;
  triggerId: string;
  body: SlackRequestBody;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('faults: Approve clicks under SIGKILL, then Slack retries (Postgres)', () => {
  let run: FaultRun;
  let t: TestDatabase;
  let fake: FakeSlack;
  let serve: ServeUnderFault;
  let dir: ScratchDir;
  let campaignId = '';
  /** Clicks answered 200 whose decision was not in the database when the process died. */
  const lostAcks: string[] = [];

  faultScenario({ scenario: 'decisions', file: FILE, dirPrefix: 'attest-fault-decisions' }, (opened) => ({ run, dir, t } = opened));
  beforeAll(async () => {
    ({ campaignId } = await seedLaunchedCampaign(t, { managers: 17, reportsPer: 2 }));
    fake = await startFakeSlack();
    serve = new ServeUnderFault(run, { databaseUrl: t.url!, slackApiUrl: fake.apiUrl });
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    await fake?.close();
  });

  it('records each clicked item once, with one review.decided event, whatever was killed', async () => {
    // Items a reviewer may decide (not their own access), with the reviewer's Slack user.
    const eligible = await t.db
      .select({ id: reviewItem.id, slack: person.slackUserId })
      .from(reviewItem)
      .innerJoin(person, eq(person.id, reviewItem.reviewerId))
      .where(and(eq(reviewItem.campaignId, campaignId), sql`${reviewItem.snapshot}->>'personId' is distinct from ${reviewItem.reviewerId}::text`));
    const order = run.rng.shuffle(eligible.sort((a, b) => a.id.localeCompare(b.id)));
    expect(order.length, 'enough items for every round').toBeGreaterThanOrEqual(ROUNDS * BATCH);
    run.note(`${eligible.length} decidable items; ${ROUNDS} rounds of ${BATCH} concurrent clicks`);

    const clicked: Click[] = [];
    await serve.start();
    for (let r = 0; r < ROUNDS; r += 1) {
      const batch: Click[] = order.slice(r * BATCH, (r + 1) * BATCH).map((it) => {
        const payload = blockActionsPayload({
          userId: it.slack!,
          actionId: ACTION.reviewApprove,
          value: it.id,
          channelId: `D${it.slack!.slice(1)}`,
          messageTs: '1.000001',
          responseUrl: fake.responseUrl(),
        });
        return { itemId: it.id, triggerId: String(payload.trigger_id), body: interactionBody(payload) };
      });
      clicked.push(...batch);
      const ids = batch.map((c) => c.itemId);

      // Fire the batch at once; kill the serve somewhere in the middle of it.
      const slack = serve.current!.slack;
      const answers = Promise.allSettled(batch.map((c) => slack.send(c.body)));
      const kill = await serve.kill(run.rng.between(20, 1500), `round ${r + 1} of clicks`);
      const settled = await answers;
      const acked = batch.filter((_, i) => settled[i]!.status === 'fulfilled' && (settled[i] as PromiseFulfilledResult<{ status: number }>).value.status === 200);
      const decidedNow = await decidedAmong(ids);
      const lost = acked.filter((c) => !decidedNow.has(c.itemId));
      lostAcks.push(...lost.map((c) => `round ${r + 1}: item ${c.itemId} (trigger ${c.triggerId})`));
      kill.note = `${acked.length}/${BATCH} acked, ${decidedNow.size} recorded when it died`;
      run.note(`round ${r + 1}: ${acked.length}/${BATCH} clicks acked before the kill, ${decidedNow.size} recorded, ${lost.length} acked but not recorded`);

      // Restart; Slack delivers every request again (here: also those that were acked).
      await serve.start();
      const again = serve.current!.slack;
      const retried = await Promise.all(batch.map((c) => again.send(c.body, { retryNum: 1, retryReason: 'http_timeout' })));
      const bad = retried.map((res, i) => ({ item: batch[i]!.itemId, status: res.status, text: res.text })).filter((x) => x.status !== 200);
      expect(bad, `retried clicks not answered 200\n${run.explain()}`).toEqual([]);
      await waitUntil(`all ${BATCH} items of round ${r + 1} to be decided`, async () => ((await decidedAmong(ids)).size === ids.length ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 200,
        explain: () => run.explain(),
      });
    }

    // Every clicked item: approved once, by its reviewer, with the key of its own click.
    const ids = clicked.map((c) => c.itemId);
    const items = await t.db
      .select({ id: reviewItem.id, decision: reviewItem.decision, decidedBy: reviewItem.decidedBy, reviewerId: reviewItem.reviewerId, key: reviewItem.decisionKey })
      .from(reviewItem)
      .where(inArray(reviewItem.id, ids));
    const keyOf = new Map(clicked.map((c) => [c.itemId, `slack:${c.triggerId}`]));
    const wrong = items.filter((i) => i.decision !== 'approved' || i.decidedBy !== i.reviewerId || i.key !== keyOf.get(i.id));
    expect(wrong, `items not approved by their reviewer with their click's key\n${run.explain()}`).toEqual([]);

    const events = await t.db
      .select({ item: sql<string>`${evidenceEvent.subject}->>'item'`, n: sql<number>`count(*)::int` })
      .from(evidenceEvent)
      .where(eq(evidenceEvent.action, 'review.decided'))
      .groupBy(sql`${evidenceEvent.subject}->>'item'`);
    const perItem = new Map(events.map((e) => [e.item, e.n]));
    const notOnce = ids.filter((id) => perItem.get(id) !== 1).map((id) => `${id}: ${perItem.get(id) ?? 0}`);
    expect(notOnce, `items without exactly one review.decided event\n${run.explain()}`).toEqual([]);
    expect(events.filter((e) => !keyOf.has(e.item)), 'review.decided events for items nobody clicked').toEqual([]);
    expect(run.landed(), run.explain()).toBeGreaterThanOrEqual(ROUNDS - 1);

    await serve.stop();
    await expectChainIntact(run, dir, t);
  }, 420_000);

  it('loses no click that was acked before the process died (Slack never redelivers an acked request)', () => {
    expect(
      lostAcks,
      `clicks answered 200 whose decision was not recorded when serve died: the listener acks first and decides after, so a crash in between loses a decision Slack will not redeliver (the reviewer saw no error; in this test only the redelivery recorded them)\n${run.explain()}`,
    ).toEqual([]);
  });

  async function decidedAmong(ids: string[]): Promise<Set<string>> {
    const rows = await t.db
      .select({ id: reviewItem.id })
      .from(reviewItem)
      .where(and(inArray(reviewItem.id, ids), sql`${reviewItem.decision} <> 'pending'`));
    return new Set(rows.map((r) => r.id));
  }
});
