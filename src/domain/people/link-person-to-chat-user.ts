import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { person } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import type { ChatLinkVia } from './chat-directory.js';

export interface ChatLink {
  personId: string;
  slackUserId: string;
  tz: string | null;
  via: ChatLinkVia;
}

/**
 * Links people to chat users inside the caller's transaction, with one `person.slack_linked`
 * event per link made. The update is conditional: a person already linked keeps their user,
 * and a chat user already linked to someone else is never taken from them (the unique index
 * would refuse it anyway, but refusing it here keeps the transaction alive). Returns the links
 * actually made.
 */
export async function linkPeopleToChatUsers(tx: Db, clock: Clock, actor: string, links: readonly ChatLink[]): Promise<ChatLink[]> {
  const made: ChatLink[] = [];
  const now = clock.now();
  for (const link of links) {
    const updated = await tx
      .update(person)
      .set({ slackUserId: link.slackUserId, slackTz: link.tz, updatedAt: now })
      .where(
        and(
          eq(person.id, link.personId),
          isNull(person.slackUserId),
          sql`not exists (select 1 from ${person} as other where other.slack_user_id = ${link.slackUserId})`,
        ),
      )
      .returning({ id: person.id });
    if (updated.length > 0) made.push(link);
  }
  await appendEvidence(
    tx,
    clock,
    made.map((l) => ({
      actor,
      action: 'person.slack_linked',
      subject: { person: l.personId },
      payload: { slackUserId: l.slackUserId, via: l.via },
    })),
  );
  return made;
}

/** Whether an error is the person_slack_user_uq index refusing a link another process just made. */
export function isChatLinkRace(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
