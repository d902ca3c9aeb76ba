import { config as loadDotenv } from 'dotenv';
import { systemClock } from '../clock.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { ensureMigrated } from '../db/ensure-migrated.js';
import type { Deps } from '../deps.js';
import { createLogger } from '../logger.js';
import { configuredRegistry } from '../connectors/registry.js';

export interface Runtime {
  config: Config;
  database: Database;
  deps: Deps;
  close(): Promise<void>;
}

/**
 * Config, logger and a migrated database: what every command needs. Missing migrations are
 * applied here so that any first command on a fresh DATA_DIR just works; an up-to-date database
 * is only read, so commands also run as the restricted runtime role (`attest migrate --grant-to`).
 */
export async function openRuntime(): Promise<Runtime> {
  loadDotenv({ quiet: true });
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await ensureMigrated(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return {
    config,
    database,
    deps: { db: database.db, clock: systemClock, logger, config, connectors: configuredRegistry(config, logger) },
    close: () => database.close(),
  };
}

/** Opens the runtime, runs `fn`, and always closes the database (PGlite flushes on close). */
export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime();
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
