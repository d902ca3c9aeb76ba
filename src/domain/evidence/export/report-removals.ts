import type { ReportInput } from './render-report.js';
import { badge, esc, num, plural, stat, table, when } from './html.js';
import { percentile } from './summary.js';

const LEAVERS_SHOWN = 50;
const SEVERITY_ORDER: Record<string, number> = { high: 0, medium: 1, low: 2 };

export function renderRevocations(input: ReportInput): string {
  const r = input.summary.remediation;
  const h = r.hours;
  const hours = (v: number | null) => (v === null ? '' : `${num(v, 1)} h`);
  return `<h2>Revocations and time to removal</h2>
<div class="stats">${stat('Revocations', num(r.total))}${stat('Carried out', num(r.carriedOut))}${stat('Verified by a sync', num(r.verified))}${stat('Awaiting proof', num(r.total - r.verified))}${stat('Median to verified', hours(percentile(h, 0.5)), 'decision → removal seen')}${stat('95th percentile', hours(percentile(h, 0.95)))}${stat('Longest', hours(h.length ? Math.max(...h) : null))}</div>
<p class="muted">A removal counts as verified only when a later directory sync no longer sees the access (remediation.csv names that sync run).</p>`;
}

export function renderLeavers(input: ReportInput): string {
  const all = [...input.summary.leavers.values()].sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
  const rows = all.slice(0, LEAVERS_SHOWN).map((l) => {
    const full = l.open === 0 && l.lastRemovedAt ? (l.lastRemovedAt.getTime() - l.effectiveAt.getTime()) / 3_600_000 : null;
    const verdict = l.missed > 0 ? badge(`missed (${l.missed})`, 'bad') : l.open > 0 ? badge('open', 'warn') : badge('met', 'ok');
    return [esc(l.name || ''), esc(l.email || ''), esc(when(l.effectiveAt)), esc(when(l.deadline)), num(l.removals), full === null ? '' : num(Math.max(full, 0), 1), verdict];
  });
  const met = all.filter((l) => l.missed === 0 && l.open === 0).length;
  const more = all.length > LEAVERS_SHOWN ? `<p class="muted">${num(all.length - LEAVERS_SHOWN)} more in terminations.csv.</p>` : '';
  return `<h2>Leavers</h2>
<p>${plural(all.length, 'offboarding case')} took effect in the period; ${num(met)} had all access removed within the ${num(input.slaHours)}-hour SLA.</p>
${table(['Person', 'Email', 'Effective', 'Deadline', 'Removals', 'Hours to full removal', 'SLA'], rows, { numeric: [4, 5], empty: 'No leavers in this period.' })}${more}`;
}

export function renderFindings(input: ReportInput): string {
  const { summary } = input;
  const types = [...summary.findings].sort(([a, x], [b, y]) => (SEVERITY_ORDER[x.severity] ?? 9) - (SEVERITY_ORDER[y.severity] ?? 9) || a.localeCompare(b));
  const sev = (s: string) => badge(s, s === 'high' ? 'bad' : s === 'medium' ? 'warn' : 'muted');
  const counts = types.map(([type, t]) => [esc(type.replace(/_/g, ' ')), sev(t.severity), num(t.count)]);
  const samples = types.flatMap(([, t]) => t.samples.map((f) => [esc(f.type.replace(/_/g, ' ')), esc(f.subject), esc(f.detail), `<code class="ev">${esc(f.evidence.join(' '))}</code>`]));
  const selfReview = summary.findings.get('self_review_attempt')?.count ?? 0;
  const refused = summary.findings.get('refused_attempt')?.count ?? 0;
  const undecided = [...summary.campaigns.values()].reduce((s, c) => s + c.pending, 0);
  const standIns = [...summary.campaigns.values()].reduce((s, c) => s + c.fallbacks, 0);
  const delegated = [...summary.campaigns.values()].reduce((s, c) => s + c.delegated, 0);
  const reasons = [...summary.fallbackReasons].sort((a, b) => b[1] - a[1]).map(([reason, n]) => [esc(reason), num(n)]);
  return `<h2>Findings and exceptions</h2>
<div class="stats">${stat('Self-review attempts', num(selfReview), 'refused and logged')}${stat('Other refused attempts', num(refused))}${stat('Stand-in reviewer', num(standIns), 'items not reviewed by the first choice')}${stat('Delegated items', num(delegated))}${stat('Undecided items', num(undecided))}</div>
<h3>Findings by type (findings.csv)</h3>
${table(['Finding', 'Severity', 'Count'], counts, { numeric: [2], empty: 'No findings.' })}
<p class="muted">Directory findings (leavers still active, orphaned and stale accounts, unreviewed privileged access) describe the directory as last synced, judged at ${esc(when(input.period.asOf))}; stale means no login for ${num(input.staleLoginDays)} days.</p>
<h3>Why a stand-in reviewer was used</h3>
${table(['Reason', 'Items'], reasons, { numeric: [1], empty: 'Every item went to the reviewer its rule named.' })}
<h3>Examples (first of each type)</h3>
${table(['Finding', 'Subject', 'Detail', 'Evidence'], samples, { empty: 'No findings.' })}`;
}
