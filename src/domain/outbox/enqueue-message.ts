import type { Db } from '../../db/client.js';
import { enqueueMessages } from './enqueue-messages.js';

export interface OutboxIntent {
  /** What to send: `review.request`, `review.refresh`, `task.assigned`, `campaign.summary`, … */
  kind: string;
  /**
   * Slack user or channel id the message goes to. Leave it out for a message to a person
   * (`recipientPersonId`): their Slack user id is read when it is queued. Null with no
   * recipient: the deliverer decides (the case message's own DM), or drops it.
   */
  channel?: string | null;
  /**
   * The person this message is for. Recorded whether or not they have a Slack user today:
   * without one the message waits as `undeliverable` and goes out once they are linked.
   */
  recipientPersonId?: string | null;
  /**
   * An edit of a message the recipient already has (`review.refresh`): for someone with no
   * Slack user there is nothing to edit, and the message it would edit renders current data
   * when it finally goes out, so it is not queued at all.
   */
  skipWhenUnreachable?: boolean;
  /** Same key, same message: enqueueing twice (a retry, two replicas) sends once. */
  dedupeKey?: string | null;
  /** Ids only: the deliverer renders from current data at send time. */
  payload: Record<string, unknown>;
}

/**
 * Records a message to send, in the caller's transaction, so the state change and the
 * promise to tell someone about it commit together. Returns false when the dedupe key was
 * already queued (or an edit had nobody to reach).
 */
export async function enqueueMessage(tx: Db, now: Date, intent: OutboxIntent): Promise<boolean> {
  return (await enqueueMessages(tx, now, [intent])) === 1;
}
