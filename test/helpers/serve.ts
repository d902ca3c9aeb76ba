import type { Database } from '../../src/db/client.js';
import { startServer, type RunningServer, type ServerDeps, type StartServerOptions } from '../../src/main.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../fakes/slack-server.js';
import type { TestDatabase } from './db.js';
import { testDeps } from './deps.js';
import { BOT_USER_ID, SlackRequester } from './slack-request.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';

export interface TestServer {
  server: RunningServer;
  /** The server's base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  fake: FakeSlack;
  /** Signs and posts to this server's /slack/events. */
  slack: SlackRequester;
  deps: ServerDeps;
  close(): Promise<void>;
}

export interface TestServerOptions {
  fake?: FakeSlackOptions;
  /** Replaces the readiness ping (e.g. a database that has been closed). */
  database?: Pick<Database, 'ping'>;
  env?: Record<string, string>;
  server?: Partial<StartServerOptions>;
}

/**
 * The real HTTP server and Bolt app, in-process on a random port, against a fresh fake Slack.
 * Bot ids are given so Bolt makes no auth.test call: the fake's call log starts empty.
 */
export async function startTestServer(t: TestDatabase, opts: TestServerOptions = {}): Promise<TestServer> {
  const fake = await startFakeSlack(opts.fake);
  const deps: ServerDeps = { ...testDeps(t.db, opts.env), database: opts.database ?? t };
  const server = await startServer(deps, {
    port: 0,
    slackApiUrl: fake.apiUrl,
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    botIdentity: { botId: fake.state.bot.id, botUserId: BOT_USER_ID },
    slackRetryConfig: { retries: 0 },
    shutdownGraceMs: 1000,
    ...opts.server,
  });
  return {
    server,
    url: server.url,
    fake,
    slack: new SlackRequester(server.url, SIGNING_SECRET),
    deps,
    close: async () => {
      await server.close();
      await fake.close();
    },
  };
}
