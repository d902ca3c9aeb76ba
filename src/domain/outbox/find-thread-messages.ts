import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { slackMessage, type SlackMessage } from '../../db/schema/index.js';

/** The pages posted under a thread key, by page number: what an `update` plan edits in place. */
export async function findThreadMessages(db: Db, threadKey: string): Promise<Map<number, SlackMessage>> {
  const rows = await db.select().from(slackMessage).where(eq(slackMessage.threadKey, threadKey)).orderBy(asc(slackMessage.page));
  return new Map(rows.map((r) => [r.page, r]));
}
