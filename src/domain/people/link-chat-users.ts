import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person } from '../../db/schema/index.js';

export interface ChatUser {
  id: string;
  email: string | null;
  tz: string | null;
  deleted: boolean;
  isBot: boolean;
}

/** The workspace's member list, page by page (Slack's users.list; a port so the domain stays Slack-free). */
export interface ChatDirectory {
  listUsers(): AsyncIterable<ChatUser[]>;
}

export interface ChatLinkReport {
  matched: number;
  refreshed: number;
  unmatched: number;
}

/**
 * Maps people to chat users by email, and keeps the link by user id once made: a person whose
 * email changes keeps their Slack user (reviews are not re-routed), and only their time zone
 * is refreshed.
 */
export async function linkChatUsers(deps: Pick<Deps, 'db' | 'clock'>, directory: ChatDirectory): Promise<ChatLinkReport> {
  const people = await deps.db
    .select({ id: person.id, email: person.email, aliases: person.aliases, slackUserId: person.slackUserId, slackTz: person.slackTz })
    .from(person);
  const byChatId = new Map(people.filter((p) => p.slackUserId).map((p) => [p.slackUserId!, p]));
  const byEmail = new Map<string, (typeof people)[number]>();
  for (const p of people) {
    if (p.slackUserId) continue;
    byEmail.set(p.email.toLowerCase(), p);
    for (const a of p.aliases) byEmail.set(a.toLowerCase(), p);
  }
  const report: ChatLinkReport = { matched: 0, refreshed: 0, unmatched: 0 };
  const now = deps.clock.now();
  for await (const page of directory.listUsers()) {
    for (const u of page) {
      if (u.isBot || u.deleted) continue;
      const linked = byChatId.get(u.id);
      if (linked) {
        if (u.tz && u.tz !== linked.slackTz) {
          await deps.db.update(person).set({ slackTz: u.tz, updatedAt: now }).where(eq(person.id, linked.id));
          report.refreshed += 1;
        }
        continue;
      }
      const p = u.email ? byEmail.get(u.email.toLowerCase()) : undefined;
      if (!p) {
        report.unmatched += 1;
        continue;
      }
      await deps.db.update(person).set({ slackUserId: u.id, slackTz: u.tz, updatedAt: now }).where(eq(person.id, p.id));
      byEmail.delete(u.email!.toLowerCase());
      report.matched += 1;
    }
  }
  return report;
}
