import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { lazyRegistry, type ConnectorRegistry } from '../domain/lifecycle/connector-registry.js';
import { SOURCES, configuredSources, createConnector, type SourceName } from './index.js';

/** The registry for a running process: each configured source's connector, built on first use. */
export function configuredRegistry(config: Config, logger: Logger): ConnectorRegistry {
  const enabled = new Set<string>(configuredSources(config));
  return lazyRegistry(async (source) =>
    enabled.has(source) && (SOURCES as readonly string[]).includes(source)
      ? createConnector(source as SourceName, config, logger)
      : undefined,
  );
}
