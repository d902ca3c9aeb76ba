import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { Logger } from './logger.js';
import type { ConnectorRegistry } from './domain/lifecycle/connector-registry.js';

/**
 * Everything a use case may need. Use cases take `Pick<Deps, …>` of only what they use, so
 * tests pass exactly that.
 */
export interface Deps {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: Config;
  /** The identity sources' connectors, built on first use (removals, provisioning). */
  connectors: ConnectorRegistry;
}
