import { fixedClock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Db } from '../../src/db/client.js';
import type { Connector } from '../../src/connectors/types.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ TZ: 'UTC', ...overrides });
}

/** Deps for a test; `connectors` maps a source name to a (fake) connector. */
export function testDeps(db: Db, overrides: Record<string, string> = {}, connectors: Record<string, Connector> = {}) {
  return {
    connectors: lazyRegistry(async (source) => connectors[source]),
    db,
    clock: fixedClock('2026-10-01T09:00:00Z'),
    logger: createLogger({ level: 'silent' }),
    config: testConfig(overrides),
  };
}
