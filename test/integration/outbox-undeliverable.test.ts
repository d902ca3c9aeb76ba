import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { outbox, person, resource, type OutboxRow } from '../../src/db/schema/index.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { startOffboarding } from '../../src/domain/lifecycle/start-offboarding.js';
import { enqueueMessage } from '../../src/domain/outbox/enqueue-message.js';
import { findUndeliverable } from '../../src/domain/outbox/find-undeliverable.js';
import { launchCampaign } from '../../src/domain/reviews/launch-campaign.js';
import { reviewRefresh } from '../../src/domain/reviews/review-intents.js';
import { metrics } from '../../src/http/metrics.js';
import { startOutboxWorker, type OutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { deliveryClient } from '../../src/slack/delivery/delivery-client.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { draftCampaign } from '../factories/campaign.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * Messages for people with no Slack user: kept as undeliverable (never dropped, never "sent"
 * as skipped), reported, and delivered once the person is linked. The worker runs the real
 * renderers against the fake Slack.
 */
let t: TestDatabase;
let fake: FakeSlack;
let deps: ReturnType<typeof testDeps>;
let org: Seeded;
let worker: OutboxWorker | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeSlack();
  deps = testDeps(t.db, { REVOKE_MODE: 'task' });
  org = await seedReviewDirectory(deps);
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});
afterAll(async () => {
  await fake.close();
  await t.drop();
});

function startWorker(renderers = RENDERERS) {
  worker = startOutboxWorker(deps, {
    slack: deliveryClient({ token: 'xoxb-test', apiUrl: fake.apiUrl }, deps.logger),
    renderers,
    idleMs: 20,
    relinkEveryMs: 50,
    channelIntervalMs: 0,
    workspacePerSecond: 200,
  });
  return worker;
}

const rowsOf = (kind: string, personId: string) =>
  t.db.select().from(outbox).where(and(eq(outbox.kind, kind), eq(outbox.recipientPersonId, personId)));
const rowById = async (id: string) => (await t.db.select().from(outbox).where(eq(outbox.id, id)))[0]!;
const postsOf = (row: OutboxRow) => fake.callsTo('chat.postMessage').filter((c) => (c.body.metadata as { event_payload?: { outbox_id?: string } } | undefined)?.event_payload?.outbox_id === row.id);
const linkToSlack = (personId: string, slackUserId: string) => t.db.update(person).set({ slackUserId }).where(eq(person.id, personId));

/** A sample's value in the text /metrics serves (0 when the series is absent). */
async function scraped(series: string): Promise<number> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('messages for people with no Slack user', () => {
  it('keeps a review request for a reviewer without Slack until they are linked, then sends it once; reviewers with Slack get theirs at once', async () => {
    const sam = org.people.sam!; // no Slack user; owns the campaign, so falls back items land with him
    const maria = org.people.maria!;
    const c = await draftCampaign(deps, { ownerEmail: sam.email });
    await launchCampaign(deps, { campaignId: c.id, actor: 'test' });

    const [waiting] = await rowsOf('review.request', sam.id);
    expect(waiting).toMatchObject({ status: 'undeliverable', channel: null, lastError: 'sam@acme.test has no Slack user' });
    expect(await findUndeliverable(t.db)).toMatchObject({ total: 1, recipients: [{ personId: sam.id, email: 'sam@acme.test', messages: 1 }] });
    expect(await scraped('attest_outbox_undeliverable_total{kind="review.request"}')).toBe(1);

    startWorker();
    const [toMaria] = await rowsOf('review.request', maria.id);
    await until(async () => (await rowById(toMaria!.id)).status === 'sent');
    await worker!.idle();
    // Never sent as skipped: it is still waiting, and Slack heard nothing for it.
    expect(await rowById(waiting!.id)).toMatchObject({ status: 'undeliverable', sentAt: null });
    expect(postsOf(waiting!)).toHaveLength(0);
    expect(await scraped('attest_outbox_undeliverable{kind="review.request"}')).toBe(1);

    await linkToSlack(sam.id, 'U4');
    const sent = await until(async () => ((r) => (r.status === 'sent' ? r : undefined))(await rowById(waiting!.id)));
    expect(sent).toMatchObject({ channel: 'U4', lastError: null, result: { channel: 'D4' } });
    expect(sent.result?.skipped).toBeUndefined();
    // Further passes of the worker re-queue nothing: exactly one DM.
    await new Promise((r) => setTimeout(r, 200));
    await worker!.idle();
    expect(postsOf(waiting!)).toHaveLength(1);
    expect(fake.state.messages.get('D4')?.[0]?.text).toContain(c.name);
    expect(await findUndeliverable(t.db)).toEqual({ total: 0, recipients: [] });
    expect(await scraped('attest_outbox_undeliverable{kind="review.request"}')).toBe(0);
  });

  it('records the task DM of a resource owner without Slack as undeliverable, and delivers it once they are linked', async () => {
    // Omar owns AWS Admins and has never been linked to Slack.
    const [omar] = await t.db.insert(person).values({ email: 'omar@acme.test', name: 'Omar' }).returning();
    await t.db.update(resource).set({ ownerId: omar!.id }).where(eq(resource.externalId, 'g2'));
    const before = await scraped('attest_outbox_undeliverable_total{kind="task.assigned"}');

    // No connector that could deactivate the account: every grant is removed by its resource's owner.
    const registry = lazyRegistry(async () => undefined);
    await startOffboarding(deps, registry, { person: 'li@acme.test', effectiveAt: deps.clock.now(), reasonCategory: 'resignation', actor: 'cli:test', origin: 'cli' });

    const [task] = await rowsOf('task.assigned', omar!.id);
    expect(task).toMatchObject({ status: 'undeliverable', channel: null, lastError: 'omar@acme.test has no Slack user' });
    // maria owns Engineering and is in Slack: her task DM is queued as usual.
    expect(await rowsOf('task.assigned', org.people.maria!.id)).toMatchObject([{ status: 'pending', channel: 'U2' }]);
    const report = await findUndeliverable(t.db);
    expect(report.recipients).toEqual([{ personId: omar!.id, email: 'omar@acme.test', name: 'Omar', messages: 1, oldest: deps.clock.now() }]);
    expect(await scraped('attest_outbox_undeliverable_total{kind="task.assigned"}')).toBe(before + 1);

    startWorker();
    await until(async () => (await rowsOf('task.assigned', org.people.maria!.id))[0]?.status === 'sent');
    await worker!.idle();
    expect(await rowById(task!.id)).toMatchObject({ status: 'undeliverable' });
    expect(await scraped('attest_outbox_undeliverable{kind="task.assigned"}')).toBe(1);

    await linkToSlack(omar!.id, 'U77');
    const sent = await until(async () => ((r) => (r.status === 'sent' ? r : undefined))(await rowById(task!.id)));
    expect(sent).toMatchObject({ channel: 'U77', result: { channel: 'D77' } });
    await new Promise((r) => setTimeout(r, 200));
    await worker!.idle();
    expect(postsOf(task!)).toHaveLength(1);
    expect(JSON.stringify(fake.state.messages.get('D77')?.[0]?.blocks)).toContain('Mark done');
  });

  it('holds a message whose recipient lost their Slack user before it went out, instead of sending it nowhere', async () => {
    const jo = org.people.jo!;
    await enqueueMessage(t.db, deps.clock.now(), { kind: 'test.post', recipientPersonId: jo.id, dedupeKey: 'unlinked', payload: {} });
    const [row] = await t.db.select().from(outbox).where(eq(outbox.dedupeKey, 'unlinked'));
    expect(row).toMatchObject({ status: 'pending', channel: 'U5' });
    await t.db.update(person).set({ slackUserId: null }).where(eq(person.id, jo.id));

    const page = { text: 'hello', blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'hello' } }] };
    startWorker({ 'test.post': async () => ({ mode: 'post', messages: [page] }) });
    const held = await until(async () => ((r) => (r.status === 'undeliverable' ? r : undefined))(await rowById(row!.id)));
    expect(held).toMatchObject({ lastError: 'jo@acme.test has no Slack user', sentAt: null });
    // Counted once the worker has recorded it (just after the row is settled).
    await until(async () => (await scraped('attest_outbox_undeliverable_total{kind="test.post"}')) === 1);
    expect(postsOf(row!)).toHaveLength(0);

    await linkToSlack(jo.id, 'U5');
    await until(async () => (await rowById(row!.id)).status === 'sent');
    expect(postsOf(row!)).toHaveLength(1);
  });

  it('queues no refresh of a DM the person cannot have, and counts nothing for it', async () => {
    const [nobody] = await t.db.insert(person).values({ email: 'nina@acme.test' }).returning();
    expect(await enqueueMessage(t.db, deps.clock.now(), reviewRefresh(randomUUID(), nobody!.id))).toBe(false);
    expect(await rowsOf('review.refresh', nobody!.id)).toHaveLength(0);
  });
});
