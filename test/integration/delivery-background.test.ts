import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '@slack/web-api';
import { systemClock } from '../../src/clock.js';
import { outbox } from '../../src/db/schema/index.js';
import { enqueueMessage } from '../../src/domain/outbox/enqueue-message.js';
import { jobsTotal } from '../../src/http/metrics.js';
import { startBackgroundWork } from '../../src/jobs/background.js';
import type { RendererRegistry } from '../../src/slack/delivery/types.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/** What `serve` starts beside the HTTP server, with the app's ordinary (retrying) client. */
let t: TestDatabase;
let fake: FakeSlack;

const renderers: RendererRegistry = {
  'test.post': async () => ({ mode: 'post', messages: [{ text: 'hi', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] }] }),
};

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake.close();
  await t.drop();
});

describe('background work', () => {
  it('delivers the outbox, runs automated tasks at start, and stops after the send in flight', async () => {
    const deps = { ...testDeps(t.db), clock: systemClock };
    const app = new WebClient('xoxb-app', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 2 } });
    const work = startBackgroundWork(deps, { slack: app, renderers });
    try {
      await enqueueMessage(t.db, new Date(), { kind: 'test.post', channel: 'U1', dedupeKey: 'bg1', payload: {} });
      work.outbox.wake();
      await fake.waitFor('chat.postMessage');
      // The first 429 goes back to the outbox at once instead of sleeping inside the client.
      fake.inject('chat.postMessage', { error: 'ratelimited', retryAfter: 30 });
      await enqueueMessage(t.db, new Date(), { kind: 'test.post', channel: 'U2', dedupeKey: 'bg2', payload: {} });
      work.outbox.wake();
      await fake.waitFor('chat.postMessage', (c) => c.status === 429);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await work.stop();
    }
    const rows = await t.db.select().from(outbox);
    expect(rows.find((r) => r.dedupeKey === 'bg1')).toMatchObject({ status: 'sent' });
    expect(rows.find((r) => r.dedupeKey === 'bg2')).toMatchObject({ status: 'pending', attempts: 0, lastError: 'ratelimited: retry after 30s' });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    const runs = (await jobsTotal.get()).values.filter((v) => v.labels.job === 'automated-tasks');
    expect(runs.reduce((s, v) => s + v.value, 0)).toBeGreaterThanOrEqual(1);
  });
});
