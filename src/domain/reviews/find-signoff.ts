import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, reviewSignoff } from '../../db/schema/index.js';

export interface SignoffRecord {
  /** 1 for the reviewer's first sign-off of the campaign, 2 for the one after it, … */
  seq: number;
  signedAt: Date;
  statement: string;
  itemCount: number;
  itemsDigest: string;
  reviewerName: string;
}

/** A reviewer's latest sign-off of one campaign, or null while they have not signed. */
export async function findSignoff(db: Db, campaignId: string, reviewerId: string): Promise<SignoffRecord | null> {
  const [row] = await db
    .select({ s: reviewSignoff, name: person.name, email: person.email })
    .from(reviewSignoff)
    .innerJoin(person, eq(person.id, reviewSignoff.reviewerId))
    .where(and(eq(reviewSignoff.campaignId, campaignId), eq(reviewSignoff.reviewerId, reviewerId)))
    .orderBy(desc(reviewSignoff.seq))
    .limit(1);
  if (!row) return null;
  return { seq: row.s.seq, signedAt: row.s.signedAt, statement: row.s.statement, itemCount: row.s.itemCount, itemsDigest: row.s.itemsDigest, reviewerName: row.name || row.email };
}
