import { and, asc, count, eq, exists, isNull, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { person, resource } from '../../db/schema/index.js';

export interface SlackLinks {
  /** People still employed (not terminated). */
  people: number;
  linked: number;
  /** How many likely reviewers have no Slack user, and the first of them by email. */
  unlinkedReviewers: number;
  sample: { email: string; name: string }[];
}

/**
 * Who can be reached in Slack. A likely reviewer manages someone still employed or owns a
 * resource: a review or task DM to them has nowhere to go until they are linked.
 */
export async function findSlackLinks(db: Db, sampleSize: number): Promise<SlackLinks> {
  const employed = ne(person.status, 'terminated');
  const [totals] = await db
    .select({ people: count(), linked: count(person.slackUserId) })
    .from(person)
    .where(employed);
  const report = alias(person, 'report');
  const isReviewer = or(
    exists(db.select({ one: sql`1` }).from(report).where(and(eq(report.managerId, person.id), ne(report.status, 'terminated')))),
    exists(
      db
        .select({ one: sql`1` })
        .from(resource)
        // A source names owners by email; the person link is resolved only when that person exists at sync time.
        .where(and(or(eq(resource.ownerId, person.id), sql`lower(${resource.ownerEmail}) = lower(${person.email})`), isNull(resource.removedAt))),
    ),
  );
  const where = and(employed, isNull(person.slackUserId), isReviewer);
  const [unlinked] = await db.select({ n: count() }).from(person).where(where);
  const sample = await db.select({ email: person.email, name: person.name }).from(person).where(where).orderBy(asc(person.email)).limit(sampleSize);
  return { people: totals?.people ?? 0, linked: totals?.linked ?? 0, unlinkedReviewers: unlinked?.n ?? 0, sample };
}
