import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { accessGrant, account, person, resource } from '../../../db/schema/index.js';
import { keyset } from '../export/keyset.js';
import type { Finding, FindingScope } from './types.js';
import { describeAccount, usableAccount } from './usable-account.js';

/** The account holds a live privileged grant (privileged itself, or on a privileged resource). */
export function holdsPrivilegedGrant(): SQL {
  return sql`exists (
    select 1 from ${accessGrant} g join ${resource} r on r.id = g.resource_id
    where g.account_id = ${account.id} and g.removed_at is null and (g.privileged or r.privileged))`;
}

/**
 * A usable account whose source says it has no multi-factor authentication (no active Okta
 * factor, Google's isEnrolledIn2Sv false, a file's `mfa` no). An account whose source does not
 * say (null: a source without MFA, or an Okta user not yet read in the rotation) is not a
 * finding: nothing shows it lacks MFA. High when it holds privileged access.
 */
export function withoutMfa(): SQL {
  return and(usableAccount(), eq(account.mfaEnrolled, false))!;
}

export async function* accountsWithoutMfa(scope: FindingScope): AsyncGenerator<Finding> {
  const rows = keyset(
    (after: string | null, limit) =>
      scope.db
        .select({
          id: account.id,
          system: account.system,
          login: account.login,
          status: account.status,
          checkedAt: account.mfaCheckedAt,
          email: person.email,
          privileged: sql<boolean>`${holdsPrivilegedGrant()}`.mapWith(Boolean),
        })
        .from(account)
        .leftJoin(person, eq(person.id, account.personId))
        .where(and(withoutMfa(), after ? gt(account.id, after) : undefined))
        .orderBy(asc(account.id))
        .limit(limit),
    (r) => r.id,
  );
  for await (const r of rows) {
    const checked = r.checkedAt ? `, as read ${r.checkedAt.toISOString()}` : '';
    yield {
      type: 'account_without_mfa',
      severity: r.privileged ? 'high' : 'medium',
      subject: r.email ?? `${r.system}:${r.login}`,
      detail: `${describeAccount(r)} has no multi-factor authentication${r.privileged ? ' and holds privileged access' : ''}${checked}`,
      evidence: [`account:${r.id}`],
    };
  }
}
