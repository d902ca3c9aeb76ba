import { exceptionRows } from '../export/exceptions.js';
import type { Finding, FindingScope } from './types.js';

/**
 * An exception past its end date: access kept on a compensating control that no longer
 * covers it. Read from the same rows as exceptions.csv, so the finding and the file agree.
 */
export async function* expiredExceptions(scope: FindingScope): AsyncGenerator<Finding> {
  const at = scope.at ?? scope.asOf;
  for await (const r of exceptionRows(scope.db, scope.campaigns, at, scope.rowsAsOf ?? null)) {
    if (r.status !== 'expired') continue;
    yield {
      type: 'exception_expired',
      severity: 'high',
      subject: r.snapshot.personEmail || `${r.snapshot.system}:${r.snapshot.accountLogin}`,
      detail: `${r.snapshot.resourceName} on ${r.snapshot.system} account ${r.snapshot.accountLogin} was kept as an exception in "${r.campaign.name}" until ${r.endsAt?.toISOString() ?? 'an unknown date'} (control: ${r.control ?? 'none given'}); expired at ${at.toISOString()}`,
      evidence: [`item:${r.itemId}`],
    };
  }
}
