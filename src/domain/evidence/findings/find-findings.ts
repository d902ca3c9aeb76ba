import type { Column } from '../export/csv-entry.js';
import { accountsWithoutMfa } from './accounts-without-mfa.js';
import { expiredExceptions } from './expired-exceptions.js';
import { missedSla } from './missed-sla.js';
import { missingSignoff } from './missing-signoff.js';
import { orphanedAccounts } from './orphaned-accounts.js';
import { refusedAttempts } from './refused-attempts.js';
import { rubberStamping } from './rubber-stamping.js';
import { staleAccess } from './stale-access.js';
import { suggestionsOverridden } from './suggestions-overridden.js';
import { terminatedButActive } from './terminated-but-active.js';
import type { Finding, FindingRule, FindingScope } from './types.js';
import { uncoveredPrivileged } from './uncovered-privileged.js';
import { unapprovedAccess } from './unapproved-access.js';
import { undecidedItems } from './undecided-items.js';

/** Most severe first, so the top of findings.csv is what to read first. */
export const FINDING_RULES: FindingRule[] = [
  terminatedButActive,
  missedSla,
  uncoveredPrivileged,
  refusedAttempts,
  accountsWithoutMfa,
  expiredExceptions,
  orphanedAccounts,
  rubberStamping,
  suggestionsOverridden,
  missingSignoff,
  unapprovedAccess,
  undecidedItems,
  staleAccess,
];

/** Every rule's rows, one rule after another (never two queries at once on one connection). */
export async function* findFindings(scope: FindingScope, rules: FindingRule[] = FINDING_RULES): AsyncGenerator<Finding> {
  for (const rule of rules) yield* rule(scope);
}

export const FINDING_COLUMNS: Column<Finding>[] = [
  { header: 'type', value: (f) => f.type },
  { header: 'severity', value: (f) => f.severity },
  { header: 'subject', value: (f) => f.subject },
  { header: 'detail', value: (f) => f.detail },
  { header: 'evidence', value: (f) => f.evidence.join(' ') },
];
