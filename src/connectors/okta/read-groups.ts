import type { Group } from '@okta/okta-sdk-nodejs';
import type { DirectoryPage } from '../types.js';
import { flatMapConcurrent } from './concurrency.js';
import { PAGE_SIZE, type OktaContext } from './context.js';
import { toGroupResource } from './map-resources.js';
import type { Memberships } from './memberships.js';
import { jsonPages, pagesOf } from './pages.js';
import type { UserJson } from './wire.js';

type Item = { page: Group[] } | { group: Group };

/** Groups as resources, then each group's members as direct grants, groups fetched side by side. */
export function readGroups(ctx: OktaContext, memberships: Memberships): AsyncIterable<DirectoryPage> {
  async function* items(): AsyncGenerator<Item> {
    for await (const page of pagesOf(ctx.client.groupApi.listGroups({ limit: PAGE_SIZE.groups }))) {
      yield { page };
      for (const group of page) yield { group };
    }
  }
  return flatMapConcurrent<Item, DirectoryPage>(items(), ctx.width, (item) => {
    if ('page' in item) {
      for (const g of item.page) if (g.id) ctx.groupTypes.set(g.id, g.type ?? '');
      return [{ resources: item.page.map(toGroupResource) }];
    }
    return memberPages(ctx, item.group.id ?? '', memberships);
  });
}

async function* memberPages(ctx: OktaContext, groupId: string, memberships: Memberships): AsyncGenerator<DirectoryPage> {
  const path = `/api/v1/groups/${encodeURIComponent(groupId)}/users`;
  for await (const users of jsonPages<UserJson>(ctx.client, path, { limit: PAGE_SIZE.groupMembers })) {
    const ids = users.map((u) => u.id);
    memberships.record(groupId, ids);
    yield { grants: ids.map((id) => ({ accountExternalId: id, resourceExternalId: groupId, via: 'direct' })) };
  }
}
