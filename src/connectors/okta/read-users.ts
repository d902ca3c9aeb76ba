import type { DirectoryPage } from '../types.js';
import { flatMapConcurrent } from './concurrency.js';
import { PAGE_SIZE, type OktaContext } from './context.js';
import { toSourceAccount } from './map-user.js';
import { jsonPages } from './pages.js';
import type { UserJson } from './wire.js';

/**
 * Users in every status. A plain list omits DEPROVISIONED users, so they are listed apart with a
 * filter; `search` would get all in one listing but is served from an eventually consistent
 * copy, and a user missing from a sync reads as a removal.
 */
export function readUsers(ctx: OktaContext): AsyncIterable<DirectoryPage> {
  const listings: Array<Record<string, string>> = [{}, { filter: 'status eq "DEPROVISIONED"' }];
  return flatMapConcurrent(listings, listings.length, async function* (query) {
    for await (const users of jsonPages<UserJson>(ctx.client, '/api/v1/users', { ...query, limit: PAGE_SIZE.users })) {
      yield { accounts: users.map((u) => toSourceAccount(u, ctx.accountOwnerAttribute)) };
    }
  });
}
