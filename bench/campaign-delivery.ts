/**
 * bench/campaign-delivery: a 500-reviewer campaign launch. 500 review DMs (~40 blocks each)
 * are queued on Postgres and delivered by the outbox worker to the fake Slack, which enforces
 * chat.postMessage at 1 per second per channel and 20 per second for the workspace. The floor
 * is messages / 20 per second; the aim is within 1.2× of it, nothing lost, nothing doubled.
 * Prints one JSON document.
 */
import type { KnownBlock } from '@slack/types';
import { count, eq } from 'drizzle-orm';
import { systemClock } from '../src/clock.js';
import { openDatabase } from '../src/db/client.js';
import { outbox } from '../src/db/schema/index.js';
import { enqueueMessages } from '../src/domain/outbox/enqueue-messages.js';
import { startOutboxWorker } from '../src/jobs/deliver-outbox.js';
import { deliveryClient } from '../src/slack/delivery/delivery-client.js';
import type { RenderedMessage, RendererRegistry } from '../src/slack/delivery/types.js';
import { startFakeSlack } from '../test/fakes/slack-server.js';
import { testDeps } from '../test/helpers/deps.js';
import { PG_BASE, createBenchDatabase } from './_postgres.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 500);
const WORKSPACE_PER_SECOND = 20;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);

/** A reviewer's DM as the review renderer shapes it: header, intro, 12 items with buttons, footer. */
function reviewMessage(reviewer: number): RenderedMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Q4 access review' } },
    { type: 'section', text: { type: 'mrkdwn', text: `Hi <@U${reviewer}>, please review the access of your reports by *Dec 31*.` } },
  ];
  for (let i = 0; i < 12; i++) {
    blocks.push(
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*person${i}@example.com* — *GitHub admin* (direct)` },
        fields: [
          { type: 'mrkdwn', text: '*Last login*\n2026-11-02' },
          { type: 'mrkdwn', text: '*Granted*\n2025-03-14' },
        ],
      },
      {
        type: 'actions',
        block_id: `item:${reviewer}:${i}`,
        elements: [
          { type: 'button', action_id: 'review.approve', text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value: `${reviewer}:${i}` },
          { type: 'button', action_id: 'review.revoke', text: { type: 'plain_text', text: 'Revoke' }, style: 'danger', value: `${reviewer}:${i}` },
        ],
      },
      { type: 'divider' },
    );
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Decisions are recorded as SOC 2 evidence.' }] });
  return { text: 'Q4 access review: 12 items to review', blocks };
}

const renderers: RendererRegistry = {
  'bench.review': async (_d, row) => ({ mode: 'post', threadKey: `bench:${row.id}`, messages: [reviewMessage(Number(row.payload.n))] }),
};

async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: PG_BASE, drop: async () => {} };
  return createBenchDatabase();
}

const target = await freshDatabase();
const database = await openDatabase({ url: target.url });
const fake = await startFakeSlack({
  latencyMs: LATENCY_MS,
  rateLimits: [
    { method: 'chat.postMessage', limit: 1, windowMs: 1000, per: 'channel' },
    { method: 'chat.postMessage', limit: WORKSPACE_PER_SECOND, windowMs: 1000, per: 'workspace' },
  ],
});
try {
  await database.migrate();
  const deps = { ...testDeps(database.db), clock: systemClock };
  const now = new Date();
  await database.db.transaction((tx) =>
    enqueueMessages(
      tx,
      now,
      Array.from({ length: MESSAGES }, (_, n) => ({ kind: 'bench.review', channel: `U${String(n).padStart(5, '0')}`, dedupeKey: `bench:${n}`, payload: { n } })),
    ),
  );
  const started = performance.now();
  const worker = startOutboxWorker(deps, {
    slack: deliveryClient({ token: 'xoxb-bench', apiUrl: fake.apiUrl }, deps.logger),
    renderers,
    workspacePerSecond: WORKSPACE_PER_SECOND,
  });
  for (;;) {
    const [open] = await database.db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'pending'));
    const [sending] = await database.db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'sending'));
    if (open!.n + sending!.n === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const ms = Math.round(performance.now() - started);
  await worker.stop();

  const perId = new Map<string, number>();
  for (const m of [...fake.state.messages.values()].flat()) {
    const id = m.metadata?.event_payload.outbox_id as string | undefined;
    if (id) perId.set(id, (perId.get(id) ?? 0) + 1);
  }
  const rows = await database.db.select({ id: outbox.id, status: outbox.status }).from(outbox);
  const floorMs = (MESSAGES / WORKSPACE_PER_SECOND) * 1000;
  const blocks = reviewMessage(0).blocks.length;
  process.stdout.write(
    `${JSON.stringify({
      messages: MESSAGES,
      ms,
      floorMs,
      ratio: Number((ms / floorMs).toFixed(3)),
      duplicates: [...perId.values()].reduce((s, c) => s + c - 1, 0),
      lost: rows.filter((r) => !perId.has(r.id)).length,
      failed: rows.filter((r) => r.status === 'failed').length,
      rateLimited: fake.callsTo('chat.postMessage').filter((c) => c.status === 429).length,
      blocksPerMessage: blocks,
      latencyMs: LATENCY_MS,
    })}\n`,
  );
} finally {
  await fake.close();
  await database.close();
  await target.drop();
}
