import { metrics } from './metrics.js';
import type { RouteGroup } from './types.js';

export const metricsRoutes: RouteGroup = () => ({
  '/metrics': {
    GET: async (_req, res) => {
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(body);
    },
  },
});
