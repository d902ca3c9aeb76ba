import { asc, like } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { slackMessage, type SlackMessage } from '../../db/schema/index.js';

/**
 * Every case message posted for a case (one per HR recipient), oldest thread key first, so a
 * `case.refresh` (queued with no channel) can find what to edit in place.
 */
export async function findCaseMessages(db: Db, caseId: string): Promise<SlackMessage[]> {
  // The case id is a uuid: no LIKE wildcard can occur in it.
  return db.select().from(slackMessage).where(like(slackMessage.threadKey, `case:${caseId}:%`)).orderBy(asc(slackMessage.threadKey), asc(slackMessage.page));
}
