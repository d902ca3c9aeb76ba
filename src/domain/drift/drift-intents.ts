import type { OutboxIntent } from '../outbox/enqueue-message.js';

/**
 * The outbox intents of unapproved access. Ids only, as for reviews: the deliverer renders from
 * current data, so a notice that goes out after the item was decided says so.
 */

/** The reviewer's DM about one unapproved grant, with Approve and Revoke. Sent once per item. */
export function driftNotice(itemId: string, reviewerId: string): OutboxIntent {
  return { kind: 'drift.notice', recipientPersonId: reviewerId, dedupeKey: `drift.notice:${itemId}`, payload: { itemId } };
}

/**
 * The same DM edited in place once decided (the buttons give way to who decided and when).
 * Nothing to edit for a reviewer without a Slack user: their waiting notice renders current data.
 */
export function driftRefresh(itemId: string, reviewerId: string): OutboxIntent {
  return { kind: 'drift.refresh', recipientPersonId: reviewerId, skipWhenUnreachable: true, dedupeKey: null, payload: { itemId } };
}

/** A privileged grant without a request, flagged to the compliance channel (null: the deliverer drops it). */
export function driftFlag(itemId: string, channel: string | null): OutboxIntent {
  return { kind: 'drift.flag', channel, dedupeKey: `drift.flag:${itemId}`, payload: { itemId } };
}

export function driftThreadKey(itemId: string): string {
  return `drift:${itemId}`;
}
