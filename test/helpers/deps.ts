import { fixedClock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Db } from '../../src/db/client.js';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ TZ: 'UTC', ...overrides });
}

export function testDeps(db: Db, overrides: Record<string, string> = {}) {
  return {
    db,
    clock: fixedClock('2026-10-01T09:00:00Z'),
    logger: createLogger({ level: 'silent' }),
    config: testConfig(overrides),
  };
}
