import { and, asc, eq, gt } from 'drizzle-orm';
import { account, person } from '../../../db/schema/index.js';
import { keyset } from '../export/keyset.js';
import type { Finding, FindingScope } from './types.js';
import { describeAccount, usableAccount } from './usable-account.js';

/** A leaver who can still sign in: the control that removes access on termination failed. */
export async function* terminatedButActive(scope: FindingScope): AsyncGenerator<Finding> {
  const rows = keyset(
    (after: string | null, limit) =>
      scope.db
        .select({ id: account.id, system: account.system, login: account.login, status: account.status, email: person.email, name: person.name, leftAt: person.leftAt })
        .from(account)
        .innerJoin(person, eq(person.id, account.personId))
        .where(and(eq(person.status, 'terminated'), usableAccount(), after ? gt(account.id, after) : undefined))
        .orderBy(asc(account.id))
        .limit(limit),
    (r) => r.id,
  );
  for await (const r of rows) {
    const left = r.leftAt ? `left ${r.leftAt.toISOString()}` : 'is terminated';
    yield {
      type: 'terminated_but_active',
      severity: 'high',
      subject: r.email,
      detail: `${r.name || r.email} ${left} but the ${describeAccount(r)} is still usable`,
      evidence: [`account:${r.id}`],
    };
  }
}
