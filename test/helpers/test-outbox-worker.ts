import { startOutboxWorker, type OutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { deliveryClient } from '../../src/slack/delivery/delivery-client.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { BOT_TOKEN, type TestServer } from './serve.js';

/**
 * The real outbox worker and renderers delivering to the test server's fake Slack, with no
 * pacing between posts to a channel and a short idle poll, so a test waits only for the work.
 */
export function startTestOutboxWorker(s: TestServer): OutboxWorker {
  return startOutboxWorker(s.deps, {
    slack: deliveryClient({ token: BOT_TOKEN, apiUrl: s.fake.apiUrl }, s.deps.logger),
    renderers: RENDERERS,
    channelIntervalMs: 0,
    idleMs: 20,
  });
}
