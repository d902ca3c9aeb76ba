import type { ReviewerProgressDetail } from '../../domain/reviews/get-reviewer-progress.js';
import { ACTION } from '../ids.js';
import { button, context, fallback, section, type SlackMessage } from './blocks.js';
import { readerTime, slackTime } from './review-time.js';
import { personValue } from './review-values.js';
import { escapeText, plural } from './text.js';

/**
 * The reviewer's nudge. No bulk button here on purpose: approving from a reminder without the
 * items in view is the rubber-stamping an auditor looks for; the request DM lists them.
 */
export function buildReminderMessage(p: ReviewerProgressDetail, tz: string): SlackMessage {
  const name = escapeText(p.campaign.name);
  const text =
    `:alarm_clock: *Reminder:* ${plural(p.pending, 'item')} still wait for your decision in *${name}*, due *${slackTime(p.campaign.dueAt, tz)}*.\n` +
    'Your review request above has Approve and Revoke for each item.';
  return {
    text: fallback(`Reminder: ${plural(p.pending, 'item')} to review in “${name}” by ${readerTime(p.campaign.dueAt, tz)}`),
    blocks: [
      section(text),
      context(`${p.decided} decided so far. Items nobody decides by the due date are flagged to compliance.`),
    ],
  };
}

/**
 * Every item is decided but the review is not signed, or not over all of them (items reached
 * the reviewer after their sign-off): the one thing left. The button is the
 * DM's own `Sign off` (it opens the statement first), so signing from here is not a blind act.
 */
export function buildSignOffReminderMessage(p: ReviewerProgressDetail, tz: string): SlackMessage {
  const name = escapeText(p.campaign.name);
  const later = p.signedBefore ? p.decided - p.signedBefore.itemCount : 0;
  const text =
    later > 0
      ? `:alarm_clock: *Reminder:* you decided all ${plural(p.decided, 'item')} in *${name}*; ${plural(later, 'item')} reached you after your sign-off. Please sign off again by *${slackTime(p.campaign.dueAt, tz)}* to cover ${later === 1 ? 'it' : 'them'}.`
      : `:alarm_clock: *Reminder:* you decided all ${plural(p.decided, 'item')} in *${name}*. Please sign off your review by *${slackTime(p.campaign.dueAt, tz)}*.`;
  return {
    text: fallback(`Reminder: sign off your review of “${name}” by ${readerTime(p.campaign.dueAt, tz)}`),
    blocks: [section(text, { accessory: button('Sign off', ACTION.reviewSignOff, { value: personValue(p.campaign.id, p.reviewer.id), style: 'primary' }) }), context('A review that is never signed off is reported to compliance as a finding.')],
  };
}

/** Past the due date: to the reviewer's manager, or to the compliance channel. */
export function buildEscalationMessage(p: ReviewerProgressDetail, audience: 'manager' | 'compliance', tz: string): SlackMessage {
  const name = escapeText(p.campaign.name);
  const who = escapeText(p.reviewer.name || p.reviewer.email);
  const due = slackTime(p.campaign.dueAt, tz);
  const body =
    audience === 'manager'
      ? `:warning: *${who}* has ${plural(p.pending, 'undecided item')} in the access review *${name}*, which was due ${due}. Please follow up with them.`
      : `:warning: *Overdue review:* ${who} (${escapeText(p.reviewer.email)}) has ${plural(p.pending, 'undecided item')} in *${name}* (due ${due}). ` +
        `Manager: ${p.manager ? escapeText(p.manager.name || p.manager.email) : 'none on record'}.`;
  return {
    text: fallback(`Overdue access review: ${who} has ${plural(p.pending, 'undecided item')} in “${name}”`),
    blocks: [section(body), context(`${p.decided} decided so far.`)],
  };
}
