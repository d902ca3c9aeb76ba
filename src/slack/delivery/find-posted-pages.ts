import type { WebClient } from '@slack/web-api';
import type { OutboxRow } from '../../db/schema/index.js';
import type { RenderedMessage } from './types.js';

/** Every message we post carries this in its metadata: the key to finding it again. */
export const OUTBOX_EVENT_TYPE = 'attest_outbox';

/** The message's own metadata, if it has some, carries the outbox id in its payload instead. */
export function outboxMetadata(outboxId: string, page: number, own?: RenderedMessage['metadata']) {
  if (own) return { event_type: own.event_type, event_payload: { ...own.event_payload, outbox_id: outboxId, page } };
  return { event_type: OUTBOX_EVENT_TYPE, event_payload: { outbox_id: outboxId, page } };
}

/**
 * The pages of this row already in the conversation, from its recent history. Only rows whose
 * last send may have reached Slack get here (a process died mid-send, or a call timed out), so
 * the extra Tier 3 calls are rare. A user id is resolved to the DM with conversations.open
 * first: chat.postMessage accepts a user id, conversations.history wants the conversation.
 * Messages older than the row cannot be its own; a minute's slack absorbs clock skew.
 */
export async function findPostedPages(
  slack: WebClient,
  row: Pick<OutboxRow, 'id' | 'createdAt'>,
  channel: string,
  limit: number,
): Promise<Map<number, { channel: string; ts: string }>> {
  const conversation = /^[UW]/.test(channel) ? (await slack.conversations.open({ users: channel })).channel?.id : channel;
  const found = new Map<number, { channel: string; ts: string }>();
  if (!conversation) return found;
  const oldest = Math.max(0, Math.floor(row.createdAt.getTime() / 1000) - 60);
  const res = await slack.conversations.history({ channel: conversation, include_all_metadata: true, limit, oldest: String(oldest) });
  for (const m of res.messages ?? []) {
    // The SDK types event_payload as `{}`: it is whatever we posted, read back as such. Any
    // event type: a message with metadata of its own carries the outbox id inside it.
    const payload = m.metadata?.event_payload as { outbox_id?: unknown; page?: unknown } | undefined;
    if (!payload || payload.outbox_id !== row.id || !m.ts) continue;
    found.set(Number(payload.page ?? 0), { channel: conversation, ts: m.ts });
  }
  return found;
}
