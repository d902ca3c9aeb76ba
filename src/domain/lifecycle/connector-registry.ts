import type { Connector } from '../../connectors/types.js';

/** How domain code reaches the connector of a source, without knowing which providers exist. */
export interface ConnectorRegistry {
  get(source: string): Promise<Connector | undefined>;
}

/** Builds each connector once, on first use. */
export function lazyRegistry(factory: (source: string) => Promise<Connector | undefined>): ConnectorRegistry {
  const cache = new Map<string, Promise<Connector | undefined>>();
  return {
    get: (source) => {
      let c = cache.get(source);
      if (!c) {
        c = factory(source);
        cache.set(source, c);
      }
      return c;
    },
  };
}
