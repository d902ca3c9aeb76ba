import type { DirectoryPage } from '../types.js';
import { classifyOktaError } from './classify-error.js';
import { concat, merge } from './concurrency.js';
import type { OktaContext } from './context.js';
import { Memberships } from './memberships.js';
import { readAppUsers, readApps, type AppGroups } from './read-apps.js';
import { readGroups } from './read-groups.js';
import { readRoles } from './read-roles.js';
import { readUsers } from './read-users.js';

/**
 * The whole org, page by page, in two phases that each run their lists side by side:
 *   1. users, and active apps with the groups assigned to them;
 *   2. groups with their members, then app users (which need those members), and admin roles.
 * So every account and app arrives before any grant, and a group before its members. Any failed
 * page ends the stream with a TransientError or PermanentError: the engine changes nothing.
 */
export async function* readDirectory(
  ctx: OktaContext,
  warmUp: () => Promise<void>,
  signal?: AbortSignal,
): AsyncGenerator<DirectoryPage> {
  try {
    await warmUp();
    const appGroups: AppGroups = new Map();
    yield* merge([readUsers(ctx), readApps(ctx, appGroups)], signal);
    const memberships = new Memberships([...appGroups.values()].flat());
    yield* merge(
      [
        concat(
          () => readGroups(ctx, memberships),
          () => readAppUsers(ctx, appGroups, memberships),
        ),
        readRoles(ctx),
      ],
      signal,
    );
  } catch (err) {
    throw signal?.aborted && err === signal.reason ? err : classifyOktaError(err, 'reading the directory');
  }
}
