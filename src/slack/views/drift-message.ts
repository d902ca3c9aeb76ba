import type { DriftItem } from '../../domain/drift/get-drift-item.js';
import { ACTION } from '../ids.js';
import { actions, button, context, fallback, section, type SlackMessage } from './blocks.js';
import { readerDay, readerTime } from './review-time.js';
import { escapeText } from './text.js';

/** The words people and acceptance checks rely on (DESIGN.md): "<person> got <resource> in <system> on <date> without a request". */
export function driftHeadline(d: Pick<DriftItem, 'personName' | 'resourceName' | 'system' | 'seenAt'>, tz: string): string {
  return `${escapeText(d.personName)} got ${escapeText(d.resourceName)} in ${escapeText(d.system)} on ${escapeText(readerDay(d.seenAt, tz))} without a request`;
}

/**
 * The reviewer's DM about one grant that appeared without a request. `Approve` and `Revoke` are
 * the review buttons (value: item id), so the review listeners decide it; once decided, the
 * buttons give way to who decided, when, and that an approval came after the fact.
 */
export function buildDriftMessage(d: DriftItem, tz: string): SlackMessage {
  const headline = driftHeadline(d, tz);
  const how = [`Account ${escapeText(d.accountLogin)}`, d.via === 'direct' ? 'held directly' : `held through ${escapeText(d.via)}`, d.privileged ? '*privileged*' : '']
    .filter(Boolean)
    .join(' · ');
  const blocks = [section(`:mag: ${headline}`), context(how)];
  if (d.decision === 'pending') {
    blocks.push(
      context('No access request, birthright template or review decision is behind it. Approve it to record an approval after the fact, or revoke it to have it removed.'),
      actions([button('Approve', ACTION.reviewApprove, { value: d.itemId, style: 'primary' }), button('Revoke', ACTION.reviewRevoke, { value: d.itemId, style: 'danger' })]),
    );
  } else {
    blocks.push(section(decidedLine(d, tz)));
  }
  return { text: fallback(headline), blocks };
}

/** The compliance channel's flag for a privileged grant that appeared without a request. */
export function buildDriftFlag(d: DriftItem, tz: string): SlackMessage {
  const headline = driftHeadline(d, tz);
  const state = d.decision === 'pending' ? `Asked ${escapeText(d.reviewer.name)} to approve or revoke it.` : decidedLine(d, tz);
  return { text: fallback(`Privileged access: ${headline}`), blocks: [section(`:rotating_light: *Privileged access:* ${headline}`), context(state)] };
}

function decidedLine(d: DriftItem, tz: string): string {
  const who = escapeText(d.decidedBy?.name ?? 'someone');
  const when = d.decidedAt ? escapeText(readerTime(d.decidedAt, tz)) : 'earlier';
  if (d.decision === 'approved') return `:white_check_mark: Approved after the fact by ${who} on ${when}`;
  if (d.decision === 'revoked') return `:no_entry: Revoked by ${who} on ${when}${d.reason ? `: ${escapeText(d.reason)}` : ''}. The removal is under way and will be verified by a sync.`;
  return `Kept as an exception by ${who} on ${when}`;
}
