import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { account, type Role } from '../../db/schema/index.js';
import { hasRole } from '../people/person-roles.js';
import { holdsPrivilegedGrant, withoutMfa } from '../evidence/findings/accounts-without-mfa.js';

export interface MfaCoverage {
  /** Usable accounts whose source says they have no MFA (the `account_without_mfa` findings). */
  withoutMfa: number;
  /** Of those, the ones holding privileged access. */
  privileged: number;
}

/** For compliance (and admins) only, as the rest of the Home tab's control view; undefined for everyone else. */
export async function findMfaCoverage(db: Db, roles: readonly Role[]): Promise<MfaCoverage | undefined> {
  if (!hasRole(roles, 'compliance')) return undefined;
  const [row] = await db
    .select({
      withoutMfa: sql<number>`count(*)`.mapWith(Number),
      privileged: sql<number>`count(*) filter (where ${holdsPrivilegedGrant()})`.mapWith(Number),
    })
    .from(account)
    .where(withoutMfa());
  return { withoutMfa: row?.withoutMfa ?? 0, privileged: row?.privileged ?? 0 };
}
