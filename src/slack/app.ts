import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { toBoltLogger } from '../logger.js';
import { metrics } from '../http/metrics.js';
import { SLACK_EVENTS_PATH } from '../http/server.js';
import { botAuthorize, classifyIdentityError, type BotIdentity } from './bot-identity.js';
import { slackClientOptions, type SlackClientSettings } from './client-options.js';
import { countRequests } from './count-requests.js';
import { workInFlight } from '../work-in-flight.js';
import { linkOnFirstContact } from './link-on-first-contact.js';
import { slackUserDirectory } from './user-directory.js';
import type { ListenerGroup } from './listeners/types.js';

export interface SlackSettings extends SlackClientSettings {
  botToken: string;
  /** HTTP mode: Bolt checks every request's signature with it. */
  signingSecret?: string | undefined;
  /** Set: Socket Mode (no public URL); the HTTP server still serves the other routes. */
  appToken?: string | undefined;
  /** Known bot ids skip the one auth.test call at start (tests, or a locked-down network). */
  identity?: BotIdentity | undefined;
}

export interface SlackApp {
  app: App;
  /** For work outside a request (outbox delivery, jobs): same API URL and retry policy. */
  client: WebClient;
  mode: 'http' | 'socket';
  /** HTTP mode only: hand POST /slack/events to it. */
  requestListener: RequestListener | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createSlackApp(deps: Deps, settings: SlackSettings, listeners: readonly ListenerGroup[]): Promise<SlackApp> {
  const clientOptions = slackClientOptions(settings, deps.logger);
  const client = new WebClient(settings.botToken, clientOptions);
  const identity = botAuthorize(client, settings.botToken, settings.identity);
  try {
    await identity.resolve();
  } catch (err) {
    const fatal = classifyIdentityError(err);
    if (fatal) throw fatal;
    deps.logger.warn({ err }, 'auth.test failed at start; Slack requests will retry it');
  }

  const logger = toBoltLogger(deps.logger);
  const socket = Boolean(settings.appToken);
  const receiver = socket
    ? new SocketModeReceiver({ appToken: settings.appToken!, logger, installerOptions: { clientOptions: socketClientOptions(clientOptions) } })
    : new HTTPReceiver({ signingSecret: settings.signingSecret ?? '', endpoints: SLACK_EVENTS_PATH, logger });
  const app = new App({ receiver, authorize: identity.authorize, logger, clientOptions });

  app.use(countRequests(metrics.slackRequests));
  // A listener goes on after its ack; shutdown waits for it (bounded) instead of cutting it off.
  app.use(async ({ next }) => {
    await workInFlight.track(next());
  });
  // Before the listeners, so that they already see a user met for the first time as their person.
  app.use(linkOnFirstContact(deps, slackUserDirectory(client)));
  for (const register of listeners) register(app, deps);
  app.error(async (error) => {
    // Listeners answer users themselves; what reaches here failed after the ack.
    deps.logger.error({ err: error }, 'slack listener failed');
  });

  return {
    app,
    client,
    mode: socket ? 'socket' : 'http',
    requestListener: receiver instanceof HTTPReceiver ? receiver.requestListener : undefined,
    // In HTTP mode our own server feeds the receiver; only Socket Mode has a connection to open.
    start: async () => {
      if (socket) await app.start();
    },
    stop: async () => {
      if (socket) await app.stop();
    },
  };
}

/**
 * The socket's own client keeps its default retry policy: the short one meant for clicks would
 * let a brief Slack outage during a routine reconnect end in an unhandled rejection.
 */
function socketClientOptions(options: ReturnType<typeof slackClientOptions>): ReturnType<typeof slackClientOptions> {
  const { retryConfig: _forClicks, ...rest } = options;
  return { ...rest };
}
