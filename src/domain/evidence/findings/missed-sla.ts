import { terminationRows } from '../export/terminations.js';
import type { Finding, FindingScope } from './types.js';

/**
 * Offboarding removals done after their deadline, or still not done past it. Read from the
 * same rows as terminations.csv, so the finding and the file can never disagree.
 */
export async function* missedSla(scope: FindingScope): AsyncGenerator<Finding> {
  for await (const r of terminationRows(scope.db, scope)) {
    if (r.slaMet !== false) continue;
    const what = r.removal ?? [r.system, r.account, r.resource].filter(Boolean).join(' ');
    const when = r.removedAt ? `removed ${r.removedAt.toISOString()}` : `still not removed at ${scope.asOf.toISOString()}`;
    const late = r.removedAt ? hours(r.removedAt.getTime() - r.deadline.getTime()) : hours(scope.asOf.getTime() - r.deadline.getTime());
    yield {
      type: 'removal_missed_sla',
      severity: 'high',
      subject: r.personEmail ?? r.caseId,
      detail: `${what || 'offboarding'}: deadline ${r.deadline.toISOString()}, ${when} (${late} h late)`,
      evidence: [`case:${r.caseId}`, ...(r.requestId ? [`request:${r.requestId}`] : []), ...(r.taskId ? [`task:${r.taskId}`] : [])],
    };
  }
}

function hours(ms: number): string {
  return (ms / 3_600_000).toFixed(1);
}
