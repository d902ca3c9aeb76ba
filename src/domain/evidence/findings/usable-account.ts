import { and, inArray, isNull, type SQL } from 'drizzle-orm';
import { USABLE_STATUSES } from '../../../connectors/types.js';
import { account } from '../../../db/schema/index.js';

/** An account someone could still sign in with: not removed from its source, not disabled. */
export function usableAccount(): SQL {
  return and(isNull(account.removedAt), inArray(account.status, [...USABLE_STATUSES]))!;
}

export function describeAccount(a: { system: string; login: string; status: string }): string {
  return `${a.system} account ${a.login} (${a.status})`;
}
