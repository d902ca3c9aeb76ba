import { and, asc, gt, isNull, lt, or } from 'drizzle-orm';
import { account } from '../../../db/schema/index.js';
import { keyset } from '../export/keyset.js';
import type { Finding, FindingScope } from './types.js';
import { describeAccount, usableAccount } from './usable-account.js';

/**
 * Usable accounts not signed in to for STALE_LOGIN_DAYS. "Never" counts only once the account
 * is older than the window: a new hire who has not logged in yet is not stale.
 */
export async function* staleAccess(scope: FindingScope): AsyncGenerator<Finding> {
  const cutoff = new Date(scope.asOf.getTime() - scope.staleLoginDays * 86_400_000);
  const stale = or(lt(account.lastLoginAt, cutoff), and(isNull(account.lastLoginAt), lt(account.firstSeenAt, cutoff)));
  const rows = keyset(
    (after: string | null, limit) =>
      scope.db
        .select({ id: account.id, system: account.system, login: account.login, status: account.status, email: account.email, lastLoginAt: account.lastLoginAt })
        .from(account)
        .where(and(usableAccount(), stale, after ? gt(account.id, after) : undefined))
        .orderBy(asc(account.id))
        .limit(limit),
    (r) => r.id,
  );
  for await (const r of rows) {
    const seen = r.lastLoginAt ? `last login ${r.lastLoginAt.toISOString()}` : 'never logged in';
    yield {
      type: 'stale_access',
      severity: 'low',
      subject: r.email ?? `${r.system}:${r.login}`,
      detail: `${describeAccount(r)}: ${seen}, more than ${scope.staleLoginDays} days before ${scope.asOf.toISOString()}`,
      evidence: [`account:${r.id}`],
    };
  }
}
