import type { Deps } from '../../deps.js';
import type { Person } from '../../db/schema/index.js';
import { isLinkable, type ChatDirectory } from './chat-directory.js';
import { findPersonByEmail, findPersonBySlackId } from './find-person.js';
import { isChatLinkRace, linkPeopleToChatUsers } from './link-person-to-chat-user.js';

/**
 * A chat user we have never seen (their first command or click): asks the workspace who they
 * are and links them to the person with that email or alias, when there is one without a chat
 * user yet. The first admin seeded from ATTEST_ADMINS is recognised this way before any sync.
 * Returns the person now behind the chat user, or undefined for a stranger.
 */
export async function linkChatUserById(
  deps: Pick<Deps, 'db' | 'clock'>,
  directory: Pick<ChatDirectory, 'userById'>,
  slackUserId: string,
): Promise<Person | undefined> {
  const u = await directory.userById(slackUserId);
  if (!u || !isLinkable(u) || !u.email) return undefined;
  const p = await findPersonByEmail(deps.db, u.email);
  if (!p || p.slackUserId) return undefined;
  try {
    await deps.db.transaction((tx) =>
      linkPeopleToChatUsers(tx, deps.clock, 'system', [{ personId: p.id, slackUserId: u.id, tz: u.tz, via: 'users.info' }]),
    );
  } catch (err) {
    // Two requests from the same new user at once: the other one linked them.
    if (!isChatLinkRace(err)) throw err;
  }
  return findPersonBySlackId(deps.db, slackUserId);
}
