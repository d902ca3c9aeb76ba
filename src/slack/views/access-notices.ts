import type { DecideAccessResult } from '../../domain/lifecycle/decide-access-request.js';
import type { RequestCard } from '../../domain/lifecycle/get-request-card.js';
import type { SlackMessage } from './blocks.js';
import { buildNotice } from './notice.js';
import { readerTime } from './review-time.js';

/**
 * What the approver who clicked is told: their decision recorded (and what happens next), or,
 * for a late or second click, who decided first and when (plain text: buildNotice escapes).
 */
export function buildAccessDecisionNotice(result: DecideAccessResult, card: RequestCard, tz: string): SlackMessage {
  const resource = card.resource?.name ?? 'this resource';
  const requester = card.requester?.name || card.requester?.email || 'the requester';
  if (result.outcome === 'recorded') {
    if (result.status === 'denied') return buildNotice(`Denied. ${requester} has been told they will not get ${resource}.`, ':x:');
    if (result.status === 'approved') return buildNotice(`Approved. ${requester} will get ${resource}; they have been told.`, ':white_check_mark:');
    const waiting = card.approvers.filter((a) => result.waitingFor.includes(a.person?.id ?? '')).map((a) => a.person?.name || a.person?.email || a.role);
    return buildNotice(`Your approval is recorded. Still waiting for ${waiting.join(' and ') || 'another approver'}.`, ':white_check_mark:');
  }
  const by = card.approvers.find((a) => a.person?.id === result.decidedBy)?.person;
  const name = by ? by.name || by.email : 'someone else';
  const when = result.at ? ` on ${readerTime(new Date(result.at), tz)}` : '';
  if (result.decision) return buildNotice(`Already ${result.decision === 'approve' ? 'approved' : 'denied'} by ${name}${when}.`, ':information_source:');
  return buildNotice(`This request is already ${result.status.replace('_', ' ')}; nothing more to decide.`, ':information_source:');
}
