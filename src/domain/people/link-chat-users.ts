import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person } from '../../db/schema/index.js';
import { isLinkable, type ChatDirectory } from './chat-directory.js';
import { isChatLinkRace, linkPeopleToChatUsers, type ChatLink } from './link-person-to-chat-user.js';

export type { ChatDirectory, ChatUser } from './chat-directory.js';

export interface ChatLinkReport {
  matched: number;
  refreshed: number;
  unmatched: number;
}

/**
 * Maps people to chat users by email or alias (case-insensitive), and keeps the link by user
 * id once made: a person whose email changes keeps their Slack user (reviews are not
 * re-routed), and only their time zone is refreshed. Each page's links are one transaction
 * with their evidence events.
 */
export async function linkChatUsers(
  deps: Pick<Deps, 'db' | 'clock'>,
  directory: Pick<ChatDirectory, 'listUsers'>,
  actor = 'job:sync',
): Promise<ChatLinkReport> {
  const people = await deps.db
    .select({ id: person.id, email: person.email, aliases: person.aliases, slackUserId: person.slackUserId, slackTz: person.slackTz })
    .from(person);
  const byChatId = new Map(people.filter((p) => p.slackUserId).map((p) => [p.slackUserId!, p]));
  const byEmail = new Map<string, string>();
  const unlinked = people.filter((p) => !p.slackUserId);
  for (const p of unlinked) for (const a of p.aliases) byEmail.set(a.toLowerCase(), p.id);
  // A primary email wins over somebody else's alias that happens to be the same address.
  for (const p of unlinked) byEmail.set(p.email.toLowerCase(), p.id);

  const report: ChatLinkReport = { matched: 0, refreshed: 0, unmatched: 0 };
  const claimed = new Set<string>();
  for await (const page of directory.listUsers()) {
    const links: ChatLink[] = [];
    for (const u of page) {
      if (!isLinkable(u)) continue;
      const linked = byChatId.get(u.id);
      if (linked) {
        if (u.tz && u.tz !== linked.slackTz) {
          await deps.db.update(person).set({ slackTz: u.tz, updatedAt: deps.clock.now() }).where(eq(person.id, linked.id));
          report.refreshed += 1;
        }
        continue;
      }
      const personId = u.email ? byEmail.get(u.email.toLowerCase()) : undefined;
      if (!personId || claimed.has(personId)) {
        report.unmatched += 1;
        continue;
      }
      claimed.add(personId);
      links.push({ personId, slackUserId: u.id, tz: u.tz, via: 'users.list' });
    }
    if (links.length === 0) continue;
    try {
      const made = await deps.db.transaction((tx) => linkPeopleToChatUsers(tx, deps.clock, actor, links));
      report.matched += made.length;
    } catch (err) {
      // Another replica linked one of these users at the same moment: the next run sees its link.
      if (!isChatLinkRace(err)) throw err;
      report.unmatched += links.length;
    }
  }
  return report;
}
