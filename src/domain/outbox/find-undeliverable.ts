import type { Db } from '../../db/client.js';

export interface UndeliverableRecipient {
  personId: string;
  email: string;
  name: string;
  /** Messages waiting for this person to have a Slack user. */
  messages: number;
  oldest: Date;
}

export interface UndeliverableReport {
  total: number;
  recipients: UndeliverableRecipient[];
}

/**
 * Messages that could not be delivered because their recipient has no Slack user, by
 * recipient (most messages first). Shown to compliance on App Home and by `attest doctor`.
 * Placeholder until the outbox records undeliverable messages: reports none.
 */
export async function findUndeliverable(_db: Db): Promise<UndeliverableReport> {
  return { total: 0, recipients: [] };
}
