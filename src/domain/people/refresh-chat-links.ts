import type { Deps } from '../../deps.js';
import type { ChatDirectory } from './chat-directory.js';
import { countChatLinks, type ChatLinkCounts } from './count-chat-links.js';
import { linkChatUsers } from './link-chat-users.js';

export interface ChatLinkSummary extends ChatLinkCounts {
  /** Links made by this run. */
  newlyLinked: number;
  /** Why the chat directory could not be read; the counts are then what was already linked. */
  error?: string;
}

/**
 * After a directory sync: people linked to their chat users through the member list, and how
 * many are (still) without one. A chat outage is reported, never thrown: the directory sync it
 * follows has succeeded and must say so. `dryRun` only counts.
 */
export async function refreshChatLinks(
  deps: Pick<Deps, 'db' | 'clock'>,
  chat: Pick<ChatDirectory, 'listUsers'>,
  opts: { actor: string; dryRun?: boolean },
): Promise<ChatLinkSummary> {
  let newlyLinked = 0;
  let error: string | undefined;
  if (!opts.dryRun) {
    try {
      newlyLinked = (await linkChatUsers(deps, chat, opts.actor)).matched;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
  }
  return { ...(await countChatLinks(deps.db)), newlyLinked, ...(error ? { error } : {}) };
}
