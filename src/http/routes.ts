import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics-route.js';
import { hooksRouteGroup } from './hooks/route-group.js';
import type { RouteGroup, Routes, ServerDeps } from './types.js';

/**
 * Every HTTP route group besides Slack's `/slack/events`. A feature adds its group here
 * (e.g. the HR and Okta webhooks); a group returns `{}` when its configuration is absent.
 */
export const ROUTE_GROUPS: RouteGroup[] = [healthRoutes, metricsRoutes, hooksRouteGroup];

export function buildRoutes(groups: readonly RouteGroup[], deps: ServerDeps): Routes {
  const routes: Routes = {};
  for (const group of groups) {
    for (const [path, methods] of Object.entries(group(deps))) {
      for (const method of Object.keys(methods)) {
        if (routes[path]?.[method]) throw new Error(`route ${method} ${path} is registered twice`);
      }
      routes[path] = { ...routes[path], ...methods };
    }
  }
  return routes;
}
