import { config as loadDotenv } from 'dotenv';
import type { App } from '@slack/bolt';
import type { RetryOptions, WebClient } from '@slack/web-api';
import { systemClock } from './clock.js';
import { loadConfig, requireSlack } from './config.js';
import { openDatabase } from './db/client.js';
import { ensureMigrated } from './db/ensure-migrated.js';
import { inspectEvidencePrivileges } from './db/evidence-privileges.js';
import { describeEvidenceRole } from './domain/doctor/check-evidence-role.js';
import { seedAdmins } from './domain/people/seed-admins.js';
import { configuredSigningKey } from './domain/evidence/checkpoint/configured-signing-key.js';
import { createLogger } from './logger.js';
import { configuredRegistry } from './connectors/registry.js';
import { ROUTE_GROUPS, buildRoutes } from './http/routes.js';
import { startHttpServer } from './http/server.js';
import { startBackgroundWork, type BackgroundWork } from './jobs/background.js';
import type { RouteGroup, ServerDeps } from './http/types.js';
import { createSlackApp } from './slack/app.js';
import type { BotIdentity } from './slack/bot-identity.js';
import { RENDERERS } from './slack/delivery/renderers/index.js';
import { LISTENER_GROUPS } from './slack/listeners/index.js';
import { workInFlight } from './work-in-flight.js';
import type { ListenerGroup } from './slack/listeners/types.js';

export type { ServerDeps } from './http/types.js';

export interface StartServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  slackApiUrl: string;
  botToken: string;
  /** HTTP mode. */
  signingSecret?: string | undefined;
  /** Socket Mode when set. */
  appToken?: string | undefined;
  /** Skips the auth.test at start. */
  botIdentity?: BotIdentity;
  slackRetryConfig?: RetryOptions;
  slackTimeoutMs?: number;
  /** Defaults to every group the app has; tests may add their own. */
  listeners?: readonly ListenerGroup[];
  routes?: readonly RouteGroup[];
  /** How long close() lets in-flight requests finish. */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  port: number;
  url: string;
  app: App;
  /** A bot-token WebClient with the same API URL and retry policy, for background senders. */
  slack: WebClient;
  /** Stops accepting requests (letting those in flight finish within `graceMs`) and disconnects Socket Mode; the caller closes the database. */
  close(graceMs?: number): Promise<void>;
}

/** The HTTP server and the Bolt app on it, wired to the given deps: what `serve` runs, minus process concerns. */
export async function startServer(deps: ServerDeps, opts: StartServerOptions): Promise<RunningServer> {
  const slack = await createSlackApp(
    deps,
    {
      apiUrl: opts.slackApiUrl,
      botToken: opts.botToken,
      signingSecret: opts.signingSecret,
      appToken: opts.appToken,
      identity: opts.botIdentity,
      retryConfig: opts.slackRetryConfig,
      timeoutMs: opts.slackTimeoutMs,
    },
    opts.listeners ?? LISTENER_GROUPS,
  );
  const http = await startHttpServer(
    { routes: buildRoutes(opts.routes ?? ROUTE_GROUPS, deps), slackListener: slack.requestListener, logger: deps.logger },
    opts.port,
    opts.host,
  );
  try {
    await slack.start();
  } catch (err) {
    await http.close(0);
    throw err;
  }
  const host = opts.host ?? '127.0.0.1';
  return {
    port: http.port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${http.port}`,
    app: slack.app,
    slack: slack.client,
    close: async (graceMs) => {
      await Promise.all([http.close(graceMs ?? opts.shutdownGraceMs), slack.stop()]);
    },
  };
}

/**
 * `attest serve` / `npm start`: config → database → admins → HTTP + Slack, until SIGTERM or
 * SIGINT. Slack settings are checked before anything is opened, so a missing variable ends the
 * process at once with the one line saying what to set (the CLI prints it and exits non-zero).
 */
export async function serve(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfig();
  requireSlack(config);
  // Read once, before anything is opened: an unreadable or non-Ed25519 key stops start-up with
  // one line, rather than failing every scheduled checkpoint later.
  const signingKey = await configuredSigningKey(config, false);
  const logger = createLogger({ level: config.LOG_LEVEL });
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  let server: RunningServer | undefined;
  let background: BackgroundWork | undefined;
  try {
    await ensureMigrated(database);
    // Said at every start, not only by `attest doctor`: whoever runs serve as the owner should hear that the evidence is only as safe as that role.
    const evidenceRole = describeEvidenceRole(database.kind, database.kind === 'pglite' ? null : await inspectEvidencePrivileges(database.db));
    if (evidenceRole.status !== 'ok') logger.warn({ fix: evidenceRole.fix }, `evidence log at risk: ${evidenceRole.detail}`);
    const deps: ServerDeps = { db: database.db, database, clock: systemClock, logger, config, connectors: configuredRegistry(config, logger) };
    const seeded = await seedAdmins(deps, config.ATTEST_ADMINS);
    if (seeded.length > 0) logger.info({ admins: seeded }, 'seeded first admins from ATTEST_ADMINS');
    server = await startServer(deps, {
      port: config.PORT,
      host: '0.0.0.0',
      slackApiUrl: config.SLACK_API_URL,
      botToken: config.SLACK_BOT_TOKEN!,
      signingSecret: config.SLACK_SIGNING_SECRET,
      appToken: config.SLACK_APP_TOKEN,
    });
    // Background work (scheduler, outbox delivery) starts here, sending through `server.slack`.
    background = startBackgroundWork(deps, { slack: server.slack, renderers: RENDERERS, listen: database.listen, signingKey });
  } catch (err) {
    await server?.close();
    await database.close();
    throw err;
  }
  const mode = config.SLACK_APP_TOKEN ? 'socket' : 'http';
  logger.info({ port: server.port, mode, database: database.kind }, 'attest is serving');

  const running = server;
  const work = background;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const timeoutMs = config.SHUTDOWN_TIMEOUT_S * 1000;
    logger.info({ signal, timeoutMs }, 'shutting down: no new work, waiting for work in flight');
    // Bounded, so the orchestrator's own kill never comes first; whatever is cut short resumes at
    // the next start (claims expire, the outbox checks Slack before resending).
    setTimeout(() => {
      logger.warn({ listenerWork: workInFlight.size }, 'shutdown timed out; exiting with work cut short');
      process.exit(1);
    }, timeoutMs).unref();
    // First stop taking work (HTTP, Socket Mode, scheduler, task runner, outbox claims) while
    // in-flight sends and task attempts finish; then wait for listener work after its ack and
    // exports; only then close the database they write to.
    Promise.all([running.close(timeoutMs), work?.stop()])
      .then(() => workInFlight.drain())
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
