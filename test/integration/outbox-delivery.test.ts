import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { systemClock } from '../../src/clock.js';
import { outbox, slackMessage, type OutboxRow } from '../../src/db/schema/index.js';
import { enqueueMessage, type OutboxIntent } from '../../src/domain/outbox/enqueue-message.js';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from '../../src/jobs/deliver-outbox.js';
import { deliveryClient } from '../../src/slack/delivery/delivery-client.js';
import type { RenderedMessage, RendererRegistry } from '../../src/slack/delivery/types.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/** The outbox worker against the fake Slack, with a test registry (no review renderers). */
let t: TestDatabase;
let fake: FakeSlack;
let worker: OutboxWorker | undefined;
const deps = () => ({ ...testDeps(t.db), clock: systemClock });

const page = (text: string): RenderedMessage => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
const pagesOf = (row: OutboxRow) => ((row.payload.pages as string[] | undefined) ?? ['hello']).map(page);
const renderers: RendererRegistry = {
  'test.post': async (_d, row) => ({ mode: 'post', threadKey: row.payload.key as string | undefined, messages: pagesOf(row) }),
  'test.update': async (_d, row) => ({ mode: 'update', threadKey: row.payload.key as string, messages: pagesOf(row) }),
  'test.nothing': async () => null,
  'review.refresh': async (_d, row) => ({ mode: 'update', threadKey: `review:${String(row.payload.reviewerId)}`, messages: [page('refreshed')] }),
};

function start(opts: Partial<OutboxWorkerOptions> = {}) {
  worker = startOutboxWorker(deps(), {
    slack: deliveryClient({ token: 'xoxb-test', apiUrl: fake.apiUrl }, deps().logger),
    renderers,
    idleMs: 25,
    channelIntervalMs: 0,
    workspacePerSecond: 200,
    ...opts,
  });
  return worker;
}

async function enqueue(intent: Partial<OutboxIntent> & { kind: string }): Promise<string> {
  const dedupeKey = randomUUID();
  await enqueueMessage(t.db, new Date(), { channel: 'U100', payload: {}, dedupeKey, ...intent });
  return (await t.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.dedupeKey, dedupeKey)))[0]!.id;
}

const row = async (id: string) => (await t.db.select().from(outbox).where(eq(outbox.id, id)))[0]!;
const messagesFor = (id: string) =>
  [...fake.state.messages.values()].flat().filter((m) => m.metadata?.event_payload.outbox_id === id);

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const settled = (id: string) => until(async () => ((r) => (r.status === 'sent' || r.status === 'failed' ? r : undefined))(await row(id)));

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeSlack({ channels: ['C1', 'C2'] });
});
afterAll(async () => {
  await fake.close();
  await t.drop();
});
beforeEach(() => {
  fake.reset();
  fake.setRateLimits(false);
  fake.state.messages.clear();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await t.raw('delete from outbox');
  await t.raw('delete from slack_message');
});

describe('outbox delivery', () => {
  it('posts a DM to the user id once, with the outbox id in its metadata, and records where it landed', async () => {
    const id = await enqueue({ kind: 'test.post', channel: 'U100', payload: { key: 'k0' } });
    start();
    const done = await settled(id);
    expect(done).toMatchObject({ status: 'sent', attempts: 1, lockedUntil: null, result: { channel: 'D100' } });
    expect(fake.callsTo('conversations.open')).toHaveLength(0);
    const [call] = fake.callsTo('chat.postMessage');
    expect(call!.body).toMatchObject({ channel: 'U100', metadata: { event_type: 'attest_outbox', event_payload: { outbox_id: id, page: 0 } } });
    expect(messagesFor(id)).toHaveLength(1);
    const [remembered] = await t.db.select().from(slackMessage).where(eq(slackMessage.threadKey, 'k0'));
    expect(remembered).toMatchObject({ page: 0, channel: 'D100', ts: done.result!.ts, outboxId: id });
  });

  it('updates in place the message an earlier post made under the same thread key, posting only the new page', async () => {
    const first = await enqueue({ kind: 'test.post', channel: 'U200', payload: { key: 'k1', pages: ['v1'] } });
    start();
    const posted = await settled(first);
    const second = await enqueue({ kind: 'test.update', channel: 'U200', payload: { key: 'k1', pages: ['v2', 'v2 page 2'] } });
    await settled(second);
    const [update] = fake.callsTo('chat.update');
    expect(update!.body).toMatchObject({ channel: 'D200', ts: posted.result!.ts, text: 'v2' });
    expect(fake.callsTo('chat.update')).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    expect(fake.state.messages.get('D200')!.map((m) => m.text)).toEqual(['v2', 'v2 page 2']);
    const pages = await t.db.select().from(slackMessage).where(eq(slackMessage.threadKey, 'k1'));
    expect(pages.map((p) => p.page).sort()).toEqual([0, 1]);
  });

  it('fails a row of an unknown kind with a clear error, and marks a row with nothing to send as skipped', async () => {
    const unknown = await enqueue({ kind: 'no.such.kind' });
    const nothing = await enqueue({ kind: 'test.nothing', channel: 'U300' });
    start();
    expect(await settled(unknown)).toMatchObject({ status: 'failed', lastError: 'no renderer for outbox kind "no.such.kind"' });
    expect(await settled(nothing)).toMatchObject({ status: 'sent', result: { skipped: 'renderer had nothing to send' } });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('fails a row on a permanent Slack error without retrying it', async () => {
    const id = await enqueue({ kind: 'test.post', channel: 'C404' });
    start();
    expect(await settled(id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'channel_not_found' });
    await worker!.idle();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('retries a transient failure with backoff, then delivers once', async () => {
    fake.inject('chat.postMessage', { status: 500, error: 'internal_error' });
    const id = await enqueue({ kind: 'test.post', channel: 'C1' });
    start({ backoffMs: () => 100 });
    expect(await settled(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(messagesFor(id)).toHaveLength(1);
  });

  it('respects Retry-After on a 429: rescheduled without counting a failure, then sent once', async () => {
    fake.inject('chat.postMessage', { error: 'ratelimited', retryAfter: 1 });
    const id = await enqueue({ kind: 'test.post', channel: 'C2' });
    const before = Date.now();
    start();
    const waiting = await until(async () => ((r) => (r.status === 'pending' && r.lastError ? r : undefined))(await row(id)));
    expect(waiting.attempts).toBe(0);
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 1000);
    const done = await settled(id);
    expect(done).toMatchObject({ status: 'sent', attempts: 1 });
    const [refused, sent] = fake.callsTo('chat.postMessage');
    expect(refused!.status).toBe(429);
    expect(sent!.at - refused!.at).toBeGreaterThanOrEqual(950);
    expect(messagesFor(id)).toHaveLength(1);
  });

  it('paces posts to one channel about a second apart while other channels go at once', async () => {
    fake.setRateLimits(true);
    const ids = [];
    for (const ch of ['C1', 'C1', 'C1', 'C2']) ids.push(await enqueue({ kind: 'test.post', channel: ch }));
    // 1.3 s, not Slack's 1 s: the fake stamps arrivals, and on a loaded machine one request can
    // arrive a few hundred milliseconds later than it was sent while the next one does not.
    start({ channelIntervalMs: 1300 });
    for (const id of ids) await settled(id);
    const calls = fake.callsTo('chat.postMessage');
    expect(calls.every((c) => c.status === 200)).toBe(true);
    const c1 = calls.filter((c) => c.body.channel === 'C1').map((c) => c.at);
    expect(c1[1]! - c1[0]!).toBeGreaterThanOrEqual(1000);
    expect(c1[2]! - c1[1]!).toBeGreaterThanOrEqual(1000);
    expect(fake.state.messages.get('C1')!.map((m) => m.metadata?.event_payload.outbox_id)).toEqual(ids.slice(0, 3));
    const c2 = calls.find((c) => c.body.channel === 'C2')!.at;
    expect(c2 - c1[0]!).toBeLessThan(500);
  });

  it('coalesces pending refreshes of one reviewer into one update', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await enqueue({ kind: 'review.refresh', channel: 'U400', payload: { campaignId: 'c1', reviewerId: 'r1' } }));
    const other = await enqueue({ kind: 'review.refresh', channel: 'U401', payload: { campaignId: 'c1', reviewerId: 'r2' } });
    start();
    const [kept, ...folded] = await Promise.all(ids.map(settled));
    expect(kept!.result).toMatchObject({ channel: 'D400' });
    for (const f of folded) expect(f).toMatchObject({ status: 'sent', result: { coalesced: ids[0] } });
    expect(await settled(other)).toMatchObject({ status: 'sent', result: { channel: 'D401' } });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
  });
});
