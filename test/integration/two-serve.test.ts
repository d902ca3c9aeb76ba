import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { campaign, evidenceEvent, jobSlot, outbox, person, reviewItem } from '../../src/db/schema/index.js';
import { createCampaignTemplate } from '../../src/domain/reviews/create-campaign-template.js';
import { ACTION } from '../../src/slack/ids.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { seedReviewDirectory } from '../factories/review-directory.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { interactionBody, blockActionsPayload } from '../helpers/slack-request.js';
import { spawnServe, type ServeProcess } from '../helpers/spawn-serve.js';

/**
 * Two real `attest serve` processes on one Postgres database and one (fake) Slack workspace:
 * the scheduled launch, the DMs and a click that reaches both replicas each happen once.
 * Postgres only: PGlite is one process's embedded database.
 */
const PG = process.env.TEST_DATABASE_URL;
let t: TestDatabase;
let fake: FakeSlack;
let templateId: string;
const serves: ServeProcess[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${serves.map((s) => s.output()).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  if (!PG) return;
  t = await createTestDatabase();
  const deps = testDeps(t.db);
  await seedReviewDirectory(deps);
  // A quarterly schedule that existed before the latest quarter began: that slot is owed now.
  const tpl = await createCampaignTemplate({ ...deps, clock: fixedClock('2020-01-01T00:00:00Z') }, { name: 'Quarterly access review', actor: 'test' });
  templateId = tpl.id;
  fake = await startFakeSlack();
  serves.push(...(await Promise.all([0, 1].map(() => spawnServe({ databaseUrl: t.url!, slackApiUrl: fake.apiUrl })))));
}, 60_000);

afterAll(async () => {
  await Promise.all(serves.map((s) => s.stop()));
  await fake?.close();
  await t?.drop();
}, 30_000);

describe('two serve processes on one database', () => {
  it.skipIf(!PG)('launch a scheduled campaign once, DM each reviewer once, and record a click sent to both once', { timeout: 180_000 }, async () => {
    // The scheduled-launch job runs every minute, so both processes reach a slot within ~60 s.
    const [launched] = await until('the scheduled launch', async () => {
      const rows = await t.db.select().from(campaign).where(and(eq(campaign.templateId, templateId), eq(campaign.status, 'launched')));
      return rows.length > 0 ? rows : undefined;
    }, 100_000);
    const requests = await t.db.select().from(outbox).where(eq(outbox.kind, 'review.request'));
    await until('the review DMs', async () => {
      const rows = await t.db.select({ status: outbox.status }).from(outbox).where(eq(outbox.kind, 'review.request'));
      return rows.every((r) => r.status === 'sent') ? true : undefined;
    }, 30_000);
    // A later minute's run (on either replica) finds the period launched and does nothing.
    const launchedAt = launched!.launchedAt!;
    await until('a later scheduled-launch run', async () => {
      const runs = await t.db.select().from(jobSlot).where(eq(jobSlot.job, 'review-scheduled-launch'));
      return runs.some((r) => r.finishedAt && r.claimedAt.getTime() > launchedAt.getTime() + 30_000) ? true : undefined;
    }, 70_000);
    expect(await t.db.select({ id: campaign.id }).from(campaign).where(eq(campaign.templateId, templateId))).toHaveLength(1);
    expect(await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'campaign.launched'))).toHaveLength(1);

    const posted = new Map<string, number>();
    const channels: string[] = [];
    for (const m of [...fake.state.messages.values()].flat()) {
      const id = m.metadata?.event_payload.outbox_id as string | undefined;
      if (!id || !requests.some((r) => r.id === id)) continue;
      const key = `${id}:${String(m.metadata?.event_payload.page ?? 0)}`;
      posted.set(key, (posted.get(key) ?? 0) + 1);
      channels.push(m.channel);
    }
    expect([...posted.values()].every((n) => n === 1)).toBe(true);
    const withSlack = requests.filter((r) => r.channel);
    expect(new Set(channels).size).toBe(withSlack.length);
    expect(withSlack.length).toBeGreaterThan(1);

    const [item] = await t.db
      .select({ id: reviewItem.id, slack: person.slackUserId })
      .from(reviewItem)
      .innerJoin(person, eq(person.id, reviewItem.reviewerId))
      .where(and(eq(reviewItem.campaignId, launched!.id), eq(reviewItem.decision, 'pending'), isNotNull(person.slackUserId)))
      .limit(1);
    const click = interactionBody(blockActionsPayload({ userId: item!.slack!, actionId: ACTION.reviewApprove, value: item!.id, channelId: item!.slack! }));
    const answers = await Promise.all(serves.map((s) => s.slack.send(click)));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);

    const decided = await until('the decision', async () => {
      const [row] = await t.db.select().from(reviewItem).where(eq(reviewItem.id, item!.id));
      return row?.decision === 'approved' ? row : undefined;
    }, 10_000);
    await new Promise((r) => setTimeout(r, 1000)); // the slower replica's handler finishes
    const events = (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'review.decided'))).filter((e) => e.subject?.item === item!.id);
    expect(events).toHaveLength(1);
    expect(decided.decidedAt).not.toBeNull();
  });
});
