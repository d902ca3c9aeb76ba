import type { RequestCard, RequestCardPerson } from '../../domain/lifecycle/get-request-card.js';
import type { RequestEvent } from '../../domain/lifecycle/request-notices.js';
import { ACTION, BLOCK } from '../ids.js';
import { actions, button, context, fallback, section, type Block, type SlackMessage } from './blocks.js';
import { truncate } from './limits.js';
import { slackTime } from './review-time.js';
import { escapeText } from './text.js';

const who = (p: RequestCardPerson | null) => (p ? escapeText(p.name || p.email) : 'someone no longer in the directory');
const what = (c: RequestCard) => (c.resource ? `*${escapeText(c.resource.name)}* (${escapeText(c.resource.system)} ${escapeText(c.resource.kind)})` : '*a resource that no longer exists*');

export function durationText(days: number | null): string {
  return days ? `${days} day${days === 1 ? '' : 's'}` : 'permanent (until removed)';
}

/**
 * The approver's DM: who asks for what, why, for how long, and Approve / Deny while this
 * approver's decision is still wanted. Once they (or anyone) decided, the buttons give way to
 * the decisions so far, so a stale button is never left to click.
 */
export function buildApprovalMessage(card: RequestCard, approverId: string, tz: string): SlackMessage {
  const badge = card.resource?.privileged ? '  :rotating_light: *Privileged*' : '';
  const blocks: Block[] = [
    section(`:key: *${who(card.requester)}* asks for access to ${what(card)}${badge}`),
    section(
      [
        `*Why:* ${card.reason ? escapeText(truncate(card.reason, 1500)) : '_no reason given_'}`,
        `*For how long:* ${durationText(card.durationDays)}`,
        `*Asked:* ${slackTime(card.createdAt, tz)}`,
      ].join('\n'),
    ),
  ];
  const mine = card.approvers.find((a) => a.person?.id === approverId);
  const role = mine ? ` You approve as ${mine.role === 'owner' ? 'the resource owner' : mine.role === 'manager' ? 'their manager' : 'an admin'}.` : '';
  if (card.status === 'pending_approval' && mine && !mine.decision) {
    blocks.push(context(`Kept as audit evidence with your decision.${role}`));
    blocks.push(
      actions(
        [button('Approve', ACTION.requestApprove, { value: card.id, style: 'primary' }), button('Deny', ACTION.requestDeny, { value: card.id, style: 'danger' })],
        BLOCK.requestActions,
      ),
    );
  } else {
    blocks.push(section(decisionsText(card, tz)));
  }
  return { text: fallback(`${who(card.requester)} asks for access to ${card.resource ? escapeText(card.resource.name) : 'a resource'}`), blocks };
}

/** Each approver's decision so far, and where the request stands. */
export function decisionsText(card: RequestCard, tz: string): string {
  const lines = card.approvers.map((a) => {
    if (!a.decision || !a.at) return `:hourglass_flowing_sand: Waiting for ${who(a.person)} (${a.role})`;
    const icon = a.decision === 'approve' ? ':white_check_mark: Approved' : ':x: Denied';
    const why = a.reason ? `: “${escapeText(truncate(a.reason, 300))}”` : '';
    return `${icon} by ${who(a.person)} (${a.role}) ${slackTime(a.at, tz)}${why}`;
  });
  return [`*Status:* ${STATUS[card.status] ?? escapeText(card.status)}`, ...lines].join('\n');
}

const STATUS: Record<string, string> = {
  pending_approval: 'waiting for approval',
  approved: 'approved, being set up',
  in_progress: 'approved, being set up',
  denied: 'denied',
  done: 'access granted',
  verified: 'access granted and confirmed',
  expired: 'expired',
  cancelled: 'cancelled',
  failed: 'could not be set up',
};

const EVENT: Record<RequestEvent, (c: RequestCard) => string> = {
  submitted: (c) => `:inbox_tray: Your request for ${what(c)} is with ${c.approvers.map((a) => who(a.person)).join(' and ') || 'the approvers'}.`,
  approval_recorded: (c) => `:white_check_mark: One approval for ${what(c)} is in; waiting for the rest.`,
  approved: (c) => `:white_check_mark: Your request for ${what(c)} was approved; the access is being set up.`,
  denied: (c) => `:x: Your request for ${what(c)} was denied.`,
  done: (c) => `:tada: You now have access to ${what(c)}.`,
  expired: (c) => `:hourglass: Your time-bound access to ${what(c)} has ended.`,
};

/** The requester's update: what happened, then where each approval stands. */
export function buildRequestUpdateMessage(card: RequestCard, event: RequestEvent, tz: string): SlackMessage {
  const headline = EVENT[event](card);
  const blocks: Block[] = [section(headline), section(`*For how long:* ${durationText(card.durationDays)}${card.expiresAt ? ` (until ${slackTime(card.expiresAt, tz)})` : ''}`)];
  if (event !== 'done' && event !== 'expired') blocks.push(section(decisionsText(card, tz)));
  return { text: fallback(headline.replace(/^:[a-z_]+: /, '').replace(/\*/g, '')), blocks };
}
