import type { AccountMfa } from '../types.js';
import { classifyOktaError, statusOf } from './classify-error.js';
import { flatMapConcurrent } from './concurrency.js';
import type { OktaContext } from './context.js';

/** The part of a UserFactor (specs/okta) that says whether it counts. */
interface FactorJson {
  factorType?: string;
  status?: string;
}

/**
 * GET /api/v1/users/{id}/factors for each account asked about, a few at a time, through the
 * connector's client: every request goes through the paced executor, so the factor reads wait
 * for the rate-limit budget like any other and leave the reserve for other integrations. The
 * engine asks only after the directory read has ended, so this never slows that read.
 *
 * Enrolled means at least one factor is ACTIVE (a PENDING_ACTIVATION one cannot be used to sign
 * in yet). Okta has no per-user "enforced" flag: that is the sign-on policy's business, so
 * `enforced` stays null. A user Okta no longer knows (404, deleted since the directory read) is
 * left out, so its record stays; any other failure ends the read, classified.
 */
export function readFactors(ctx: OktaContext, userIds: readonly string[], signal?: AbortSignal): AsyncIterable<AccountMfa[]> {
  return flatMapConcurrent(
    userIds,
    ctx.width,
    async (userId): Promise<AccountMfa[][]> => {
      const url = `${ctx.client.baseUrl}/api/v1/users/${encodeURIComponent(userId)}/factors`;
      try {
        const factors = (await ctx.client.http.getJson(url)) as unknown;
        const list = Array.isArray(factors) ? (factors as FactorJson[]) : [];
        return [[{ externalId: userId, mfa: { enrolled: list.some((f) => f.status === 'ACTIVE'), enforced: null } }]];
      } catch (err) {
        if (statusOf(err) === 404) return [];
        throw classifyOktaError(err, `reading the factors of user ${userId}`);
      }
    },
    signal,
  );
}
