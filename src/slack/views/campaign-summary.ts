import type { CampaignStatus } from '../../domain/reviews/get-campaign-status.js';
import { context, fallback, header, section, type Block, type SlackMessage } from './blocks.js';
import { capList } from './limits.js';
import { slackTime } from './review-time.js';
import { escapeText, plural } from './text.js';

/** Lines per list: the channel gets the picture; `attest campaign status` has everything. */
const LISTED = 10;

/** The compliance channel's summary of a campaign (at close): counts, late reviewers, stand-ins. */
export function buildCampaignSummary(s: CampaignStatus, tz: string): SlackMessage {
  const name = escapeText(s.name);
  const closed = s.status === 'closed';
  const blocks: Block[] = [
    header(`${closed ? 'Access review closed' : 'Access review'}: ${s.name}`),
    {
      type: 'section',
      fields: [
        ['Items', s.items],
        ['Approved', s.approved],
        ['Revoked', s.revoked],
        // Only when there are some: the summary of a campaign without exceptions reads as before.
        ...(s.kept > 0 ? [['Kept as exceptions', s.kept] as const] : []),
        ['Undecided', s.pending],
        ['Reviewers', s.reviewers],
        ['Stand-in reviewers', s.fallbacks.length],
      ].map(([label, n]) => ({ type: 'mrkdwn' as const, text: `*${label}*\n${n}` })),
    },
  ];
  const late = s.byReviewer.filter((r) => r.pending > 0);
  if (late.length > 0) {
    const { shown, hidden } = capList(late, LISTED);
    const lines = shown.map((r) => `• ${escapeText(r.name || r.email)} (${escapeText(r.email)}): ${r.pending} undecided, ${r.decided} decided`);
    if (hidden > 0) lines.push(`…and ${plural(hidden, 'more reviewer')}`);
    blocks.push(section(`*Reviewers with undecided items*\n${lines.join('\n')}`));
  }
  if (s.fallbacks.length > 0) {
    const { shown, hidden } = capList(s.fallbacks, LISTED);
    const lines = shown.map((f) => `• ${escapeText(f.person)}, ${escapeText(f.resource)} → ${escapeText(f.reviewer)}: ${escapeText(f.reason)}`);
    if (hidden > 0) lines.push(`…and ${plural(hidden, 'more')}`);
    blocks.push(section(`*Reviewed by a stand-in* (the rule's first choice could not review)\n${lines.join('\n')}`));
  }
  const when = [`due ${slackTime(s.dueAt, tz)}`, ...(s.closedAt ? [`closed ${slackTime(s.closedAt, tz)}`] : [])];
  blocks.push(context(`Owner ${escapeText(s.owner.name || s.owner.email)} · ${when.join(' · ')} · evidence: \`attest export\``));
  return {
    text: fallback(`${closed ? 'Access review closed' : 'Access review'} “${name}”: ${s.approved} approved, ${s.revoked} revoked, ${s.kept > 0 ? `${s.kept} kept as ${s.kept === 1 ? 'an exception' : 'exceptions'}, ` : ''}${s.pending} undecided`),
    blocks,
  };
}
