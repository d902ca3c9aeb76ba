import { existsSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { createConnector } from '../connectors/index.js';
import { openDatabase, type Database } from '../db/client.js';
import type { DatabaseProbe } from '../domain/doctor/check-database.js';
import { findAppliedMigrations } from '../domain/doctor/find-applied-migrations.js';
import type { DoctorPorts } from '../domain/doctor/run-doctor.js';
import { createLogger } from '../logger.js';
import { slackClientOptions } from '../slack/client-options.js';
import { slackDoctorProbe } from '../slack/doctor-probe.js';

/**
 * Doctor's wiring. Unlike every other command (src/cli/runtime.ts) it opens the database
 * *without* migrating it, and does not even create a PGlite DATA_DIR that is not there: a
 * preflight reports what it finds and changes nothing.
 */
export function doctorPorts(config: Config): DoctorPorts & { close(): Promise<void> } {
  const logger = createLogger({ level: config.LOG_LEVEL });
  let opened: Promise<Database> | undefined;
  const open = () => (opened ??= openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }));
  const pgliteMissing = !config.DATABASE_URL && !config.DATA_DIR.includes('://') && !existsSync(config.DATA_DIR);
  let db: Database | undefined;
  const database: DatabaseProbe = {
    where: config.DATABASE_URL ? `Postgres ${redacted(config.DATABASE_URL)}` : `PGlite in DATA_DIR ${config.DATA_DIR}`,
    variable: config.DATABASE_URL ? 'DATABASE_URL' : 'DATA_DIR',
    ping: async () => {
      if (pgliteMissing) return;
      db = await open();
      await db.ping();
    },
    appliedMigrations: async () => (pgliteMissing || !db ? null : findAppliedMigrations(db.db)),
  };
  // A preflight should answer in seconds: no retries (the default policy waits for half an hour).
  const client = config.SLACK_BOT_TOKEN
    ? new WebClient(config.SLACK_BOT_TOKEN, slackClientOptions({ apiUrl: config.SLACK_API_URL, retryConfig: { retries: 0 }, timeoutMs: 8000 }, logger))
    : undefined;
  return {
    config,
    database,
    db: () => {
      if (!db) throw new Error('the database is not open');
      return db.db;
    },
    slack: client ? slackDoctorProbe(client) : undefined,
    openSource: (name) => createConnector(name, config, logger),
    close: async () => {
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}

/** Host and database name only: the URL may carry a password. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
