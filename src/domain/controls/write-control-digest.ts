import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { evidenceEvent } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { appendEvidence, lockChainHead } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';
import { computeControlFigures } from './compute-control-figures.js';
import type { ControlFigures } from './types.js';

/** The evidence action of a digest, and the outbox kind that posts it to the compliance channel. */
export const DIGEST_ACTION = 'controls.digest';

/** The first digest, with no earlier one to start from, covers the week before it. */
const FIRST_PERIOD_MS = 7 * 86_400_000;

export interface ControlDigest {
  seq: number;
  figures: ControlFigures;
  /** The digest before this one, for the trend; null for the first. */
  previous: ControlFigures | null;
}

/**
 * Computes the figures since the last digest (or over the last week for the first), records
 * them as a `controls.digest` evidence event and queues one message to COMPLIANCE_CHANNEL, all
 * in one transaction under the chain lock, so the figures posted are exactly the ones kept and
 * the next digest's trend starts from them. The job's slot keeps this to one run per slot.
 */
export async function writeControlDigest(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: { actor: string }): Promise<ControlDigest> {
  return deps.db.transaction(async (tx) => {
    // The chain lock first: two writers racing past the slot would otherwise read the same previous digest.
    await lockChainHead(tx);
    const at = deps.clock.now();
    const previous = await lastDigestBefore(tx, Number.MAX_SAFE_INTEGER);
    // A clock set back (or a restored database) must not make a negative period.
    const since = previous ? new Date(previous.to) : null;
    const from = since && since < at ? since : new Date(at.getTime() - FIRST_PERIOD_MS);
    const figures = await computeControlFigures(tx, { from, to: at, slaHours: deps.config.OFFBOARDING_SLA_HOURS });
    const [event] = await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: DIGEST_ACTION,
      subject: { from: from.toISOString(), to: at.toISOString() },
      payload: { ...figures },
    });
    const channel = deps.config.COMPLIANCE_CHANNEL;
    if (channel && event) {
      await enqueueMessage(tx, at, { kind: DIGEST_ACTION, channel, dedupeKey: `${DIGEST_ACTION}:${event.seq}`, payload: { seq: String(event.seq) } });
    }
    return { seq: event!.seq, figures, previous };
  });
}

/** The digest recorded at `seq` and the one before it (what the channel is sent). */
export async function getControlDigest(db: Db, seq: number): Promise<ControlDigest> {
  const [e] = await db.select({ action: evidenceEvent.action, payload: evidenceEvent.payload }).from(evidenceEvent).where(eq(evidenceEvent.seq, seq));
  if (e?.action !== DIGEST_ACTION) throw new AppError('NOT_FOUND', `no control digest at evidence #${seq}`);
  return { seq, figures: e.payload as unknown as ControlFigures, previous: await lastDigestBefore(db, seq) };
}

async function lastDigestBefore(db: Db, seq: number): Promise<ControlFigures | null> {
  const [e] = await db
    .select({ payload: evidenceEvent.payload })
    .from(evidenceEvent)
    .where(and(eq(evidenceEvent.action, DIGEST_ACTION), lt(evidenceEvent.seq, seq)))
    .orderBy(desc(evidenceEvent.seq))
    .limit(1);
  return e ? (e.payload as unknown as ControlFigures) : null;
}
