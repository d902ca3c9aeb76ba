import { and, asc, gt, isNull } from 'drizzle-orm';
import { account } from '../../../db/schema/index.js';
import { keyset } from '../export/keyset.js';
import type { Finding, FindingScope } from './types.js';
import { describeAccount, usableAccount } from './usable-account.js';

/** A live account that belongs to nobody: nobody's manager will ever review it. */
export async function* orphanedAccounts(scope: FindingScope): AsyncGenerator<Finding> {
  const rows = keyset(
    (after: string | null, limit) =>
      scope.db
        .select({ id: account.id, system: account.system, login: account.login, status: account.status, lastLoginAt: account.lastLoginAt })
        .from(account)
        .where(and(isNull(account.personId), usableAccount(), after ? gt(account.id, after) : undefined))
        .orderBy(asc(account.id))
        .limit(limit),
    (r) => r.id,
  );
  for await (const r of rows) {
    const seen = r.lastLoginAt ? `last login ${r.lastLoginAt.toISOString()}` : 'never logged in';
    yield {
      type: 'orphaned_account',
      severity: 'medium',
      subject: `${r.system}:${r.login}`,
      detail: `${describeAccount(r)} is linked to no person; ${seen}`,
      evidence: [`account:${r.id}`],
    };
  }
}
