/** How a person came to be linked to their chat user: recorded in the evidence event. */
export type ChatLinkVia = 'users.list' | 'users.info' | 'users.lookupByEmail';

export interface ChatUser {
  id: string;
  email: string | null;
  tz: string | null;
  deleted: boolean;
  isBot: boolean;
}

/**
 * The workspace's members, as the domain needs them (Slack's users.list, users.info and
 * users.lookupByEmail behind a port, so the domain stays Slack-free). Use cases take a `Pick`
 * of the one method they call.
 */
export interface ChatDirectory {
  /** Every member, page by page. */
  listUsers(): AsyncIterable<ChatUser[]>;
  /** One member by id; null when the workspace has no such user. */
  userById(id: string): Promise<ChatUser | null>;
  /** One member by email; null when nobody in the workspace has that address. */
  userByEmail(email: string): Promise<ChatUser | null>;
}

/** Deleted members and bots are never anybody's chat identity. */
export function isLinkable(u: ChatUser): boolean {
  return !u.deleted && !u.isBot;
}
