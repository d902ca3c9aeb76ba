import type { ApproveAllResult } from '../../domain/reviews/approve-all-remaining.js';
import type { DelegateItemsResult } from '../../domain/reviews/delegate-items.js';
import type { Decider } from '../../domain/reviews/types.js';
import { fallback, section, type SlackMessage } from './blocks.js';
import { readerTime, slackTime } from './review-time.js';
import { escapeText, plural } from './text.js';

/** Short ephemeral answers to review clicks. `text` (fallback) never holds a date token. */
function notice(emoji: string, mrkdwn: string, plain: string): SlackMessage {
  return { text: fallback(plain), blocks: [section(`${emoji} ${mrkdwn}`)] };
}

/** The second clicker (a double click, a colleague, a retry too late) is told who decided first, and when. */
export function buildAlreadyDecided(d: { decision: 'approved' | 'revoked' | 'kept'; decidedBy: Decider; decidedAt: Date | null }, youId: string, tz: string): SlackMessage {
  const verb = d.decision === 'kept' ? 'kept as an exception' : d.decision;
  const who = d.decidedBy.personId === youId ? 'You' : d.decidedBy.personId ? escapeText(d.decidedBy.name) : 'Attest (no response by the due date)';
  const when = d.decidedAt ? ` on ${slackTime(d.decidedAt, tz)}` : '';
  const plainWhen = d.decidedAt ? ` on ${readerTime(d.decidedAt, tz)}` : '';
  const head = d.decidedBy.personId === youId ? 'You already' : 'Already';
  const text = d.decidedBy.personId === youId ? `${head} ${verb} this item${when}.` : `${head} ${verb} by *${who}*${when}: nothing more to do.`;
  const plain = d.decidedBy.personId === youId ? `You already ${verb} this item${plainWhen}.` : `Already ${verb} by ${who}${plainWhen}.`;
  return notice(':information_source:', text, plain);
}

export function buildBulkApproved(r: ApproveAllResult, forName?: string): SlackMessage {
  const whose = forName ? ` for ${escapeText(forName)}` : '';
  const own = r.skippedOwnAccess > 0 ? ` ${plural(r.skippedOwnAccess, 'item is', 'items are')} your own access and stay pending: ask the campaign owner to reassign them.` : '';
  if (r.approved === 0) {
    const text = `Nothing left to approve${whose}.${own}`;
    return notice(':information_source:', text, text);
  }
  const left = r.remaining - r.skippedOwnAccess > 0 ? ` ${plural(r.remaining - r.skippedOwnAccess, 'item')} still to decide.` : '';
  const text = `Approved ${plural(r.approved, 'item')}${whose}.${left}${own}`;
  return notice(':white_check_mark:', text, text);
}

export function buildRevoked(planned: 'now' | 'close' | 'pending'): SlackMessage {
  const text =
    planned === 'now'
      ? 'Revoked. The removal is under way; the access owner gets a task when it cannot be done automatically.'
      : planned === 'close'
        ? 'Revoked. The access will be removed when the campaign closes.'
        : 'Revoked. The removal will be planned shortly.';
  return notice(':no_entry:', text, text);
}

export function buildReassigned(r: DelegateItemsResult): SlackMessage {
  const to = escapeText(r.to.name || r.to.email);
  const skipped = r.alreadyDecided > 0 ? ` ${plural(r.alreadyDecided, 'item was', 'items were')} already decided and stayed.` : '';
  const text = `Handed ${plural(r.delegated, 'item')} to ${to}, who gets them in a DM. You can still decide them yourself.${skipped}`;
  return notice(':twisted_rightwards_arrows:', text, text);
}

export function buildTaskDone(requestDone: boolean): SlackMessage {
  const text = requestDone ? 'Marked done. That was the last task of this request: it is complete.' : 'Marked done. Thank you.';
  return notice(':white_check_mark:', text, text);
}

export function buildTaskAlreadyDone(doneBy: string | null, doneAt: Date | null, tz: string): SlackMessage {
  const who = doneBy ? ` by *${escapeText(doneBy)}*` : '';
  const when = doneAt ? ` on ${slackTime(doneAt, tz)}` : '';
  const plainWhen = doneAt ? ` on ${readerTime(doneAt, tz)}` : '';
  return notice(':information_source:', `Already marked done${who}${when}.`, `Already marked done${doneBy ? ` by ${escapeText(doneBy)}` : ''}${plainWhen}.`);
}
