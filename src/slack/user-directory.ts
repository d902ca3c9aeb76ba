import type { WebClient } from '@slack/web-api';
import type { ChatDirectory, ChatUser } from '../domain/people/link-chat-users.js';

/**
 * users.list is Tier 2 (~20 calls a minute) but returns up to hundreds of members a call, so
 * mapping 5,000 people costs a few dozen calls instead of 5,000 users.lookupByEmail calls.
 */
const PAGE = 200;

export function slackUserDirectory(client: WebClient): ChatDirectory {
  return {
    async *listUsers(): AsyncIterable<ChatUser[]> {
      let cursor: string | undefined;
      do {
        const res = await client.users.list({ limit: PAGE, ...(cursor ? { cursor } : {}) });
        yield (res.members ?? []).map((m) => ({
          id: m.id!,
          email: m.profile?.email ?? null,
          tz: m.tz ?? null,
          deleted: Boolean(m.deleted),
          isBot: Boolean(m.is_bot) || m.id === 'USLACKBOT',
        }));
        cursor = res.response_metadata?.next_cursor || undefined;
      } while (cursor);
    },
  };
}
