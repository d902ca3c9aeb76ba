import { inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person } from '../../db/schema/index.js';
import { isLinkable, type ChatDirectory, type ChatUser } from './chat-directory.js';
import { isChatLinkRace, linkPeopleToChatUsers } from './link-person-to-chat-user.js';

/** What looking one person up by email came to. */
export type ChatLookupOutcome =
  | { status: 'linked'; slackUserId: string }
  | { status: 'not_found' }
  /** The workspace's user for that email is already linked to somebody else. */
  | { status: 'taken'; slackUserId: string }
  | { status: 'failed'; error: string };

/**
 * Links a few named people (reviewers about to be routed, say) by looking each one up by
 * email, then by alias. Meant for a handful: users.lookupByEmail is one call per address
 * (Tier 3), where users.list maps a whole workspace in a few dozen calls. A failed lookup is
 * an outcome, never an exception: the caller falls back as if the person had no chat user.
 */
export async function linkPeopleByEmailLookup(
  deps: Pick<Deps, 'db' | 'clock'>,
  directory: Pick<ChatDirectory, 'userByEmail'>,
  personIds: readonly string[],
  actor: string,
): Promise<Map<string, ChatLookupOutcome>> {
  const outcomes = new Map<string, ChatLookupOutcome>();
  if (personIds.length === 0) return outcomes;
  const rows = await deps.db
    .select({ id: person.id, email: person.email, aliases: person.aliases, slackUserId: person.slackUserId })
    .from(person)
    .where(inArray(person.id, [...personIds]));
  for (const p of rows) {
    if (p.slackUserId) continue;
    let found: ChatUser | null = null;
    try {
      for (const email of [p.email, ...p.aliases]) {
        found = await directory.userByEmail(email);
        if (found && isLinkable(found)) break;
        found = null;
      }
    } catch (err) {
      outcomes.set(p.id, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
      continue;
    }
    if (!found) {
      outcomes.set(p.id, { status: 'not_found' });
      continue;
    }
    outcomes.set(p.id, await link(deps, actor, p.id, found));
  }
  return outcomes;
}

async function link(deps: Pick<Deps, 'db' | 'clock'>, actor: string, personId: string, u: ChatUser): Promise<ChatLookupOutcome> {
  try {
    const made = await deps.db.transaction((tx) =>
      linkPeopleToChatUsers(tx, deps.clock, actor, [{ personId, slackUserId: u.id, tz: u.tz, via: 'users.lookupByEmail' }]),
    );
    return made.length > 0 ? { status: 'linked', slackUserId: u.id } : { status: 'taken', slackUserId: u.id };
  } catch (err) {
    if (!isChatLinkRace(err)) throw err;
    return { status: 'taken', slackUserId: u.id };
  }
}
