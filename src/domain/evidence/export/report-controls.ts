import { headlines } from '../../controls/headlines.js';
import type { ControlFigures } from '../../controls/types.js';
import { esc, num, table, when } from './html.js';

/**
 * report.html's "Controls over the period": the weekly digest's figures, computed by the same
 * module for the export's period, each with the file of this bundle that shows the rows behind it.
 */
export function renderControls(f: ControlFigures | null | undefined): string {
  if (!f) return '';
  const h = headlines(f);
  const pct = (v: number | null) => (v === null ? 'n/a' : `${num(v, 1)}%`);
  const hours = f.removals.hours.length ? f.removals.hours.map((x) => `${num(x, 1)} h`).join(', ') : 'none';
  const rows = [
    ['CC6.1 MFA', `${pct(h.mfaShare)} of ${num(f.mfa.active)} active accounts enrolled; ${num(f.mfa.unknown)} not reported by their source`, `${num(f.mfa.privilegedWithout)} privileged accounts without MFA`, 'findings.csv'],
    ['CC6.2 provisioning', `${pct(h.approvedShare)} of ${num(f.provisioning.newGrants)} new grants had an approval behind them`, `${num(f.provisioning.unapprovedOpen)} unapproved grants undecided`, 'access-requests.csv, decisions.csv'],
    [
      'CC6.3 removals',
      `${num(f.removals.leavers)} leavers: ${num(f.removals.withinSla)} fully removed within the ${num(f.removals.slaHours)}-hour SLA, ${num(f.removals.late)} late, ${num(f.removals.open)} not yet (hours: ${hours})`,
      `${num(f.removals.awaitingVerification)} revocations awaiting verification`,
      'terminations.csv, remediation.csv',
    ],
    ['Reviews', `${num(f.reviews.onSchedule)} of ${num(f.reviews.campaigns)} campaigns on schedule`, `${num(f.reviews.overdueReviewers)} overdue reviewers (${num(f.reviews.overdueItems)} items past due)`, 'decisions.csv, signoffs.csv'],
  ].map((r) => r.map((c) => esc(c)));
  return `<h2>Controls over the period</h2>
<p>Judged at ${esc(when(f.to))} over ${esc(when(f.from))} to ${esc(when(f.to))}; the same figures as the weekly control digest. MFA is the directory as last synced.</p>
${table(['Control', 'Measure', 'Open', 'Evidence'], rows)}`;
}
