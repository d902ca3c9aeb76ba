import type { ReportInput } from './render-report.js';
import { badge, esc, num, plural, stat, table, when } from './html.js';

/** Sign-offs: who attested to their review as a whole, and who decided everything but did not. */
export function renderSignoffs(input: ReportInput): string {
  const s = input.summary.signoffs;
  const rows = s.listed.map((r) => [
    esc(r.campaign),
    esc(r.name || ''),
    esc(r.email || ''),
    num(r.items),
    num(r.decided),
    r.signedAt ? esc(when(r.signedAt)) : r.items > 0 && r.decided === r.items ? badge('decided all, not signed', 'bad') : badge('not signed', 'warn'),
  ]);
  const more = s.reviewers > s.listed.length ? `<p class="muted">Showing ${num(s.listed.length)} of ${num(s.reviewers)}, unsigned first; all are in signoffs.csv.</p>` : '';
  return `<h2>Reviewer sign-offs (signoffs.csv)</h2>
<p>${plural(s.reviewers, 'reviewer')}; ${num(s.signed)} signed off on their review as a whole; ${num(s.unsignedDone)} decided every item but have no sign-off covering them all.</p>
${table(['Campaign', 'Reviewer', 'Email', 'Items', 'Decided', 'Signed off'], rows, { numeric: [3, 4], empty: 'No reviewers.' })}${more}`;
}

/** Exceptions: access kept on a compensating control, open or past its end date. */
export function renderExceptions(input: ReportInput): string {
  const e = input.summary.exceptions;
  const rows = e.listed.map((r) => [
    esc(r.snapshot.personName || r.snapshot.personEmail),
    esc(r.snapshot.resourceName),
    esc(r.snapshot.system),
    esc(r.control ?? ''),
    esc(when(r.endsAt)),
    r.status === 'expired' ? badge('expired', 'bad') : badge('open', 'ok'),
    esc(r.deciderEmail ?? ''),
  ]);
  const total = e.open + e.expired;
  const more = total > e.listed.length ? `<p class="muted">Showing ${num(e.listed.length)} of ${num(total)}; all are in exceptions.csv.</p>` : '';
  return `<h2>Exceptions (exceptions.csv)</h2>
<div class="stats">${stat('Kept as exception', num(total))}${stat('Open', num(e.open))}${stat('Expired', num(e.expired))}</div>
${table(['Person', 'Resource', 'System', 'Compensating control', 'Ends', 'Status', 'Decided by'], rows, { empty: 'No access was kept as an exception.' })}${more}`;
}
