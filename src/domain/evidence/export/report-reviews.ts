import type { Campaign } from '../../../db/schema/index.js';
import { DRIFT_KIND } from '../../drift/drift-campaign.js';
import type { ReportInput } from './render-report.js';
import { badge, bar, esc, num, pct, plural, stat, table, when } from './html.js';

/** Reviewers listed on the page; the rest are in decisions.csv. */
const REVIEWERS_SHOWN = 30;

/**
 * The drift campaign holds unapproved access as syncs find it: launched once, never due, never
 * closed. Shown as what it is, not as a campaign "launched" in the period and due in 9999.
 */
function standing(c: Pick<Campaign, 'kind'>): boolean {
  return c.kind === DRIFT_KIND;
}

/** The campaign's name as the page shows it; the standing one says so. */
function campaignName(c: Pick<Campaign, 'kind' | 'name'>): string {
  return standing(c) ? `${esc(c.name)} <span class="muted">(standing unapproved-access campaign)</span>` : esc(c.name);
}

export function renderScope(input: ReportInput): string {
  const { period, summary } = input;
  const campaigns = period.campaigns.map((c) =>
    standing(c)
      ? [campaignName(c), badge('standing', 'muted'), esc(`since ${when(c.launchedAt)}`), 'never due', 'never closes', num(summary.campaigns.get(c.id)?.items ?? 0)]
      : [esc(c.name), badge(c.status, c.status === 'closed' ? 'ok' : 'warn'), esc(when(c.launchedAt)), esc(when(c.dueAt)), esc(when(c.closedAt)), num(summary.campaigns.get(c.id)?.items ?? 0)],
  );
  const drift = period.campaigns.find(standing);
  const driftNote = !drift
    ? ''
    : period.kind === 'campaign'
      ? ' It is the standing unapproved-access campaign: every grant a sync found without a request, as it was found, and its decision.'
      : ` The standing unapproved-access campaign “${esc(drift.name)}” (grants a sync found without a request; never due, never closed) is included with its items seen in the period, still undecided when it began, or decided or removed in it.`;
  const sources = input.reconciliation.filter((r) => ['live_grants', 'in_scope', 'review_items', 'unexplained'].includes(r.measure));
  const bySource = new Map<string, Record<string, number>>();
  for (const r of sources) {
    const key = `${r.campaign}\u0000${r.source}`;
    bySource.set(key, { ...(bySource.get(key) ?? {}), [r.measure]: r.count });
  }
  const sourceRows = [...bySource].map(([key, m]) => {
    const [campaign, source] = key.split('\u0000');
    const gap = m.unexplained ?? 0;
    return [esc(campaign), esc(source), num(m.live_grants), num(m.in_scope), num(m.review_items), gap === 0 ? badge('reconciled', 'ok') : badge(`${gap} unexplained`, 'bad')];
  });
  return `<h2>Scope</h2>
<p>${period.kind === 'campaign' ? 'One campaign, from its creation to its close.' : 'The campaigns launched in the period, and every offboarding, access grant and evidence event in it.'}${driftNote}
Systems reviewed: ${[...summary.systems].map(([s, n]) => `${esc(s)} (${num(n)})`).join(', ') || 'none'}.</p>
${table(['Campaign', 'Status', 'Launched', 'Due', 'Closed', 'Items'], campaigns, { numeric: [5], empty: 'No campaign was launched in this period.' })}
<h3>Population completeness (reconciliation.csv)</h3>
${table(['Campaign', 'Source', 'Live grants', 'In scope', 'Review items', 'Check'], sourceRows, { numeric: [2, 3, 4], empty: 'No provenance recorded.' })}`;
}

export function renderCompletion(input: ReportInput): string {
  const rows = input.period.campaigns.map((c) => {
    const t = input.summary.campaigns.get(c.id);
    const items = t?.items ?? 0;
    const decided = (t?.approved ?? 0) + (t?.revoked ?? 0) + (t?.kept ?? 0);
    return [campaignName(c), num(items), num(t?.approved), num(t?.revoked), num(t?.kept), num(t?.pending), bar(pct(decided, items)), num(t?.fallbacks), num(t?.delegated)];
  });
  const all = [...input.summary.campaigns.values()];
  const items = all.reduce((s, t) => s + t.items, 0);
  const decided = all.reduce((s, t) => s + t.approved + t.revoked + t.kept, 0);
  return `<h2>Completion</h2>
<div class="stats">${stat('Review items', num(items))}${stat('Decided', num(decided), `${num(pct(decided, items), 1)}%`)}${stat('Approved', num(all.reduce((s, t) => s + t.approved, 0)))}${stat('Revoked', num(all.reduce((s, t) => s + t.revoked, 0)))}${stat('Kept as exception', num(all.reduce((s, t) => s + t.kept, 0)))}${stat('Undecided', num(items - decided))}${stat('Privileged items', num(input.summary.privileged))}</div>
${table(['Campaign', 'Items', 'Approved', 'Revoked', 'Kept', 'Pending', 'Complete', 'Stand-in reviewer', 'Delegated'], rows, { numeric: [1, 2, 3, 4, 5, 7, 8], empty: 'No campaign in this period.' })}
${renderSecondLevel(input)}`;
}

/** The resource owners' second decisions on approved privileged access, when any campaign had them. */
function renderSecondLevel(input: ReportInput): string {
  const rows = input.period.campaigns
    .map((c) => ({ c, s: input.summary.campaigns.get(c.id)?.second }))
    .filter((x) => x.s && x.s.items > 0)
    .map(({ c, s }) => [campaignName(c), num(s!.items), num(s!.approved), num(s!.revoked), num(s!.pending)]);
  if (rows.length === 0) return '';
  return `<h3>Second-level decisions (resource owners, privileged access)</h3>
${table(['Campaign', 'Second-level items', 'Approved', 'Revoked', 'Pending'], rows, { numeric: [1, 2, 3, 4] })}`;
}

export function renderTimeline(input: ReportInput): string {
  const entries: { at: Date; what: string }[] = [];
  for (const c of input.period.campaigns) {
    const t = input.summary.campaigns.get(c.id);
    const name = `“${esc(c.name)}”`;
    if (standing(c)) {
      // Never due and never closed: only what happened to its items belongs on the timeline.
      if (c.launchedAt && c.launchedAt >= input.period.from && c.launchedAt < input.period.to) entries.push({ at: c.launchedAt, what: `Standing unapproved-access campaign ${name} started` });
      if (t?.firstDecisionAt) entries.push({ at: t.firstDecisionAt, what: `First decision on unapproved access in ${name}` });
      if (t?.lastDecisionAt) entries.push({ at: t.lastDecisionAt, what: `Last decision on unapproved access in ${name}` });
      continue;
    }
    entries.push({ at: c.createdAt, what: `Campaign ${name} created` });
    if (c.launchedAt) entries.push({ at: c.launchedAt, what: `Campaign ${name} launched with ${num(t?.items ?? 0)} items` });
    if (t?.firstDecisionAt) entries.push({ at: t.firstDecisionAt, what: `First decision in ${name}` });
    if (t?.lastDecisionAt) entries.push({ at: t.lastDecisionAt, what: `Last decision in ${name}` });
    entries.push({ at: c.dueAt, what: `Campaign ${name} due` });
    if (c.closedAt) entries.push({ at: c.closedAt, what: `Campaign ${name} closed` });
  }
  for (const l of input.summary.leavers.values()) {
    entries.push({ at: l.effectiveAt, what: `Leaver ${esc(l.name || l.email)}: access to end` });
    if (l.lastRemovedAt && l.open === 0) entries.push({ at: l.lastRemovedAt, what: `Leaver ${esc(l.name || l.email)}: all access removed` });
  }
  entries.push({ at: input.generatedAt, what: 'This bundle exported' });
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  const items = entries.map((e) => `<li><time>${esc(when(e.at))}</time>${e.what}</li>`).join('\n');
  return `<h2>Timeline</h2>\n<ol class="timeline">\n${items}\n</ol>`;
}

export function renderReviewers(input: ReportInput): string {
  const all = [...input.summary.reviewers.values()];
  const sorted = all.sort((a, b) => b.items - b.decided - (a.items - a.decided) || b.items - a.items || a.email.localeCompare(b.email));
  const rows = sorted.slice(0, REVIEWERS_SHOWN).map((r) => [
    esc(r.name || ''),
    esc(r.email),
    num(r.items),
    num(r.decided),
    num(r.items - r.decided),
    bar(pct(r.decided, r.items)),
    r.standIn > 0 ? badge(`stand-in for ${num(r.standIn)}`, 'warn') : '',
  ]);
  const done = all.filter((r) => r.decided === r.items).length;
  const more = all.length > REVIEWERS_SHOWN ? `<p class="muted">Showing the ${REVIEWERS_SHOWN} with the most left undecided; all ${num(all.length)} are in decisions.csv.</p>` : '';
  return `<h2>Reviewers</h2>
<p>${plural(all.length, 'reviewer')}; ${num(done)} finished every item assigned to them.</p>
${table(['Reviewer', 'Email', 'Items', 'Decided', 'Pending', 'Complete', 'Note'], rows, { numeric: [2, 3, 4], empty: 'No reviewers.' })}${more}`;
}
