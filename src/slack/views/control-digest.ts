import { headlines, trendSince } from '../../domain/controls/headlines.js';
import type { ControlDigest } from '../../domain/controls/write-control-digest.js';
import { ACTION } from '../ids.js';
import { actions, button, context, fallback, header, section, type Block, type SlackMessage } from './blocks.js';
import { plural, slackDate } from './text.js';

/** Hours of removal listed one by one; more are summed up (the report lists every leaver). */
const HOURS_LISTED = 10;

/**
 * The weekly control digest in the compliance channel: one section per control with its
 * measure and its change since the last digest, and a context line naming where the evidence
 * behind it is. Numbers and fixed wording only: nothing here comes from users, so nothing
 * needs escaping. Ten blocks, far under the 50 a message may hold.
 *
 * The button hands a compliance reader the bundle of exactly this digest's period. It carries
 * only the digest's evidence seq: the listener reads the period back from the evidence log, so
 * the bundle covers what the digest counted and the value stays a few characters long.
 */
export function buildControlDigestMessage(d: ControlDigest): SlackMessage {
  const f = d.figures;
  const h = headlines(f);
  const t = trendSince(f, d.previous);
  const pct = (v: number | null) => (v === null ? 'n/a' : `${v}%`);
  const since = (k: keyof typeof h, unit: 'pt' | '') => {
    if (!t) return '';
    const v = t[k];
    if (v === null) return ' (no comparison)';
    if (v === 0) return ' (unchanged)';
    return ` (${v > 0 ? '+' : '−'}${Math.abs(v)}${unit === 'pt' ? ' pts' : ''} since the last digest)`;
  };
  const removed = f.removals.hours.slice(0, HOURS_LISTED).map((x) => `${x} h`).join(', ');
  const more = f.removals.hours.length > HOURS_LISTED ? ` and ${f.removals.hours.length - HOURS_LISTED} more` : '';
  const blocks: Block[] = [
    header('Weekly control digest'),
    context(`${slackDate(new Date(f.from))} to ${slackDate(new Date(f.to))}${t ? '' : ' · first digest: no trend yet'}`),
    section(
      `*CC6.1 MFA:* ${pct(h.mfaShare)} of ${plural(f.mfa.active, 'active account')} enrolled${since('mfaShare', 'pt')}; ${f.mfa.unknown} not reported by their source\n` +
        `*Privileged accounts without MFA:* ${h.privilegedWithoutMfa}${since('privilegedWithoutMfa', '')}`,
    ),
    context('Evidence: `attest findings` (accounts without MFA) · App Home'),
    section(
      (f.provisioning.newGrants === 0
        ? '*CC6.2 provisioning:* no new grants in the period\n'
        : `*CC6.2 provisioning:* ${pct(h.approvedShare)} of ${plural(f.provisioning.newGrants, 'new grant')} had an approval behind them${since('approvedShare', 'pt')}\n`) +
        `*Unapproved grants still undecided:* ${h.unapprovedOpen}${since('unapprovedOpen', '')}`,
    ),
    context('Evidence: `attest export --from … --to …` (access-requests.csv, decisions.csv) · App Home'),
    section(
      `*CC6.3 removals:* ${plural(f.removals.leavers, 'leaver')}${since('leavers', '')}: ${f.removals.withinSla} fully removed within the ${f.removals.slaHours}-hour SLA, ${f.removals.late} late${since('lateRemovals', '')}, ${f.removals.open} not yet${removed ? `\n*Hours to full removal:* ${removed}${more}` : ''}\n` +
        `*Revocations awaiting verification:* ${h.awaitingVerification}${since('awaitingVerification', '')}`,
    ),
    context('Evidence: `attest export` (terminations.csv, remediation.csv) · `attest findings`'),
    section(
      `*Reviews:* ${f.reviews.onSchedule} of ${plural(f.reviews.campaigns, 'campaign')} on schedule${since('onScheduleShare', 'pt')}\n` +
        `*Overdue reviewers:* ${h.overdueReviewers}${since('overdueReviewers', '')} (${plural(f.reviews.overdueItems, 'item')} past due)`,
    ),
    context(`Evidence: \`attest campaign status <id>\` · App Home · this digest is evidence event #${d.seq}`),
    actions([button('Evidence bundle for this period', ACTION.digestEvidence, { value: String(d.seq) })]),
  ];
  return { text: fallback(`Weekly control digest: MFA ${pct(h.mfaShare)}, ${plural(f.removals.leavers, 'leaver')}, ${h.overdueReviewers} overdue reviewers`), blocks };
}
