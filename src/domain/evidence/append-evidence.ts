import { desc, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { evidenceEvent, type EvidenceRow } from '../../db/schema/index.js';
import { GENESIS_HASH, eventHash, normalisePayload } from './canonical.js';

export interface NewEvidence {
  /** Who: `person:<id>`, an email, `slack:<user id>`, `system`, or `job:<name>`. */
  actor: string;
  /** Dotted name such as `review.decided`. */
  action: string;
  subject?: Record<string, string>;
  payload?: Record<string, unknown>;
}

/**
 * Any constant works; it only has to be the same in every process. Exported for writers that
 * must read the head and append after it under one lock (checkpoints).
 */
const CHAIN_LOCK = 0x41545354; // "ATST"
const INSERT_CHUNK = 1000;

/**
 * Appends events to the chain. Must run inside the transaction that makes the change the
 * events record: the transaction-scoped advisory lock serialises appenders across
 * connections and processes until commit, so each event links to the one before it.
 */
export async function appendEvidence(tx: Db, clock: Clock, events: NewEvidence | NewEvidence[]): Promise<EvidenceRow[]> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return [];
  const last = await lockChainHead(tx);

  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  // Stored with millisecond precision; never earlier than the head, so time order = chain order.
  const at = new Date(Math.max(clock.now().getTime(), last?.at.getTime() ?? 0));
  const rows: EvidenceRow[] = list.map((e) => {
    seq += 1;
    const fields = {
      seq,
      at,
      actor: e.actor,
      action: e.action,
      subject: e.subject ?? {},
      payload: normalisePayload(e.payload ?? {}, e.action),
    };
    const hash = eventHash(prevHash, fields);
    const row = { ...fields, prevHash, hash };
    prevHash = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx.insert(evidenceEvent).values(rows.slice(i, i + INSERT_CHUNK));
  }
  return rows;
}

/**
 * Takes the chain's lock for the rest of the transaction (re-entrant, so appendEvidence may
 * follow) and reads the head: nobody can append between this read and the caller's own events.
 */
export async function lockChainHead(tx: Db): Promise<{ seq: number; hash: string; at: Date; action: string } | undefined> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const [head] = await tx
    .select({ seq: evidenceEvent.seq, hash: evidenceEvent.hash, at: evidenceEvent.at, action: evidenceEvent.action })
    .from(evidenceEvent)
    .orderBy(desc(evidenceEvent.seq))
    .limit(1);
  return head;
}
