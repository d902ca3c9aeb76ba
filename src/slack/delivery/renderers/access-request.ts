import { getRequestCard } from '../../../domain/lifecycle/get-request-card.js';
import type { RequestEvent } from '../../../domain/lifecycle/request-notices.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { buildApprovalMessage, buildRequestUpdateMessage } from '../../views/access-request-message.js';
import type { Renderer } from '../types.js';
import { payloadIds } from './payload.js';

export function requestThreadKey(requestId: string, personId: string): string {
  return `request:${requestId}:${personId}`;
}

const EVENTS: readonly RequestEvent[] = ['submitted', 'approval_recorded', 'approved', 'denied', 'done', 'expired'];

/**
 * `request.approval`: the approver's DM with Approve / Deny. Rendered from current data, so a
 * request decided (or withdrawn) before the DM went out is shown as it stands, not as a
 * question; posted under a thread key so the click can be reflected in place.
 */
export const renderRequestApproval: Renderer = async (deps, row) => {
  const { requestId, personId } = payloadIds(row, 'requestId', 'personId');
  const card = await getRequestCard(deps.db, requestId);
  if (card.status !== 'pending_approval') return null;
  const approver = card.approvers.find((a) => a.person?.id === personId)?.person;
  const tz = readerZone(approver?.slackTz, deps.config.TZ);
  return { mode: 'post', threadKey: requestThreadKey(requestId, personId), messages: [buildApprovalMessage(card, personId, tz)] };
};

/** `request.update`: tells the requester what happened (one DM per event). */
export const renderRequestUpdate: Renderer = async (deps, row) => {
  const { requestId } = payloadIds(row, 'requestId');
  const event = EVENTS.find((e) => e === row.payload.event);
  if (!event) throw new Error(`request.update: unknown event ${String(row.payload.event)}`);
  const card = await getRequestCard(deps.db, requestId);
  const tz = readerZone(card.requester?.slackTz, deps.config.TZ);
  return { mode: 'post', messages: [buildRequestUpdateMessage(card, event, tz)] };
};
