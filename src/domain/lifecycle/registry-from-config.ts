import type { Config } from '../../config.js';
import { configuredSources, createConnector, type SourceName } from '../../connectors/index.js';
import type { Logger } from '../../logger.js';
import { lazyRegistry, type ConnectorRegistry } from './connector-registry.js';

/**
 * The registry the CLI, the webhooks and the jobs use: a connector for each configured
 * source, built on first use. An unconfigured source has no connector, so what it holds
 * becomes manual tasks instead of failing the case.
 */
export function registryFromConfig(config: Config, logger: Logger): ConnectorRegistry {
  const configured = new Set<string>(configuredSources(config));
  return lazyRegistry(async (source) => (configured.has(source) ? createConnector(source as SourceName, config, logger) : undefined));
}
