import type { Application } from '@okta/okta-sdk-nodejs';
import type { DirectoryPage, SourceGrant } from '../types.js';
import { flatMapConcurrent } from './concurrency.js';
import { PAGE_SIZE, type OktaContext } from './context.js';
import { toAppResource } from './map-resources.js';
import { groupVia, type Memberships } from './memberships.js';
import { jsonPages, pagesOf } from './pages.js';
import type { AppUserJson } from './wire.js';

/** Active apps and the groups assigned to each, gathered by readApps for readAppUsers. */
export type AppGroups = Map<string, string[]>;

type Item = { page: Application[] } | { app: Application };

/** Active apps as resources; records each app's group assignments in `appGroups`. */
export function readApps(ctx: OktaContext, appGroups: AppGroups): AsyncIterable<DirectoryPage> {
  async function* items(): AsyncGenerator<Item> {
    const list = ctx.client.applicationApi.listApplications({ filter: 'status eq "ACTIVE"', limit: PAGE_SIZE.apps });
    for await (const page of pagesOf(list)) {
      yield { page };
      for (const app of page) yield { app };
    }
  }
  return flatMapConcurrent<Item, DirectoryPage>(items(), ctx.width, (item) => {
    if ('page' in item) return [{ resources: item.page.map(toAppResource) }];
    return recordGroups(ctx, item.app.id ?? '', appGroups);
  });
}

/** Its output is `appGroups` (in app order, whatever order the lists finish in), not pages. */
async function recordGroups(ctx: OktaContext, appId: string, appGroups: AppGroups): Promise<DirectoryPage[]> {
  const ids: string[] = [];
  appGroups.set(appId, ids);
  for await (const page of pagesOf(ctx.client.applicationApi.listApplicationGroupAssignments({ appId, limit: PAGE_SIZE.appGroups }))) {
    for (const a of page) if (a.id) ids.push(a.id);
  }
  return [];
}

/**
 * Each app's assigned users as grants. Scope USER is a direct assignment; a user who is also in
 * a group assigned to the app holds it through that group too (Okta reports such a user as USER
 * only), and removing the direct assignment would not end the access, so both are reported.
 */
export function readAppUsers(ctx: OktaContext, appGroups: AppGroups, memberships: Memberships): AsyncIterable<DirectoryPage> {
  return flatMapConcurrent(appGroups.keys(), ctx.width, async function* (appId) {
    const groups = appGroups.get(appId) ?? [];
    const path = `/api/v1/apps/${encodeURIComponent(appId)}/users`;
    for await (const page of jsonPages<AppUserJson>(ctx.client, path, { limit: PAGE_SIZE.appUsers })) {
      yield { grants: page.flatMap((u) => appUserGrants(ctx, appId, groups, memberships, u)) };
    }
  });
}

function appUserGrants(ctx: OktaContext, appId: string, groups: string[], memberships: Memberships, u: AppUserJson): SourceGrant[] {
  const userId = u.id;
  const grant = (via: string): SourceGrant => ({ accountExternalId: userId, resourceExternalId: appId, via });
  const holding = memberships.holding(groups, userId);
  const grants = holding.map((g) => grant(groupVia(g)));
  if (u.scope !== 'GROUP') grants.unshift(grant('direct'));
  else if (!holding.length) {
    // Membership changed between reading groups and reading the app: keep the access visible.
    ctx.logger.warn({ appId, userId }, 'okta app assignment with scope GROUP but no assigned group holds it');
    grants.push(grant(groupVia('unknown')));
  }
  return grants;
}
