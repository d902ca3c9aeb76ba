import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { evidenceEvent } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import type { Checkpoint } from '../signing/checkpoint.js';
import { parseCheckpoint } from './parse-checkpoint.js';
import { CHECKPOINT_ACTION } from './write-checkpoint.js';

/** The checkpoint recorded by the `evidence.checkpoint` event at `eventSeq` (what the channel is sent). */
export async function getCheckpoint(db: Db, eventSeq: number): Promise<Checkpoint> {
  const [e] = await db.select({ action: evidenceEvent.action, payload: evidenceEvent.payload }).from(evidenceEvent).where(eq(evidenceEvent.seq, eventSeq));
  const checkpoint = e?.action === CHECKPOINT_ACTION ? parseCheckpoint(e.payload) : null;
  if (!checkpoint) throw new AppError('NOT_FOUND', `no checkpoint at evidence #${eventSeq}`);
  return checkpoint;
}
