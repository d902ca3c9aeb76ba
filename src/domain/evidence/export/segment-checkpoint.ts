import { and, between, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { evidenceEvent } from '../../../db/schema/index.js';
import { parseCheckpoint } from '../checkpoint/parse-checkpoint.js';
import { CHECKPOINT_ACTION } from '../checkpoint/write-checkpoint.js';
import type { Checkpoint } from '../signing/checkpoint.js';
import type { SegmentBounds } from './evidence-segment.js';

/**
 * The latest checkpoint recorded in the segment that `keyId` signed and whose head is itself in
 * the segment, so a verifier holding only the bundle can check both its signature and that the
 * segment has that hash at that seq. Null when there is none (a past quarter exported after the
 * hourly checkpoints of its own days were all signed by another key, or none were written).
 */
export async function findSegmentCheckpoint(db: Db, segment: SegmentBounds, keyId: string): Promise<Checkpoint | null> {
  if (segment.events === 0) return null;
  const [row] = await db
    .select({ payload: evidenceEvent.payload })
    .from(evidenceEvent)
    .where(
      and(
        eq(evidenceEvent.action, CHECKPOINT_ACTION),
        between(evidenceEvent.seq, segment.firstSeq, segment.lastSeq),
        sql`${evidenceEvent.payload}->>'keyId' = ${keyId}`,
        sql`(${evidenceEvent.payload}->>'seq')::bigint >= ${segment.firstSeq}`,
      ),
    )
    .orderBy(desc(evidenceEvent.seq))
    .limit(1);
  return row ? parseCheckpoint(row.payload) : null;
}
