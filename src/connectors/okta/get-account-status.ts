import type { AccountState } from '../types.js';
import { classifyOktaError, statusOf } from './classify-error.js';
import type { OktaContext } from './context.js';
import { toAccountStatus } from './map-user.js';

/**
 * GET /api/v1/users/{id}: the user as Okta has it now. A 404 means Okta does not know the id
 * (null); anything else that fails is classified, so a caller can tell "not there" from "could
 * not ask".
 */
export async function getAccountStatus(ctx: OktaContext, userId: string): Promise<AccountState | null> {
  try {
    const user = await ctx.client.userApi.getUser({ userId });
    const profile = (user.profile ?? {}) as { login?: unknown; email?: unknown };
    const rawStatus = String(user.status ?? '');
    const email = typeof profile.email === 'string' && profile.email !== '' ? profile.email : null;
    return {
      externalId: String(user.id),
      status: toAccountStatus(rawStatus),
      rawStatus,
      login: typeof profile.login === 'string' && profile.login !== '' ? profile.login : (email ?? String(user.id)),
      email,
    };
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw classifyOktaError(err, `reading user ${userId}`);
  }
}
