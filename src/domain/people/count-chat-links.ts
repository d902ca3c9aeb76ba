import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person } from '../../db/schema/index.js';

export interface ChatLinkCounts {
  /** People linked to a chat (Slack) user. */
  linked: number;
  /** People still employed (active or leaving) with no chat user: they get no DMs. */
  unlinked: number;
}

export async function countChatLinks(db: Db): Promise<ChatLinkCounts> {
  const [row] = await db
    .select({
      linked: sql<number>`count(*) filter (where ${person.slackUserId} is not null)`.mapWith(Number),
      unlinked: sql<number>`count(*) filter (where ${person.slackUserId} is null and ${person.status} <> 'terminated')`.mapWith(Number),
    })
    .from(person);
  return { linked: row?.linked ?? 0, unlinked: row?.unlinked ?? 0 };
}
