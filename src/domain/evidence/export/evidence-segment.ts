import { and, between, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { evidenceEvent, type EvidenceRow } from '../../../db/schema/index.js';
import { rowsOf } from '../findings/rows-of.js';
import { GENESIS_HASH } from '../canonical.js';
import { keyset } from './keyset.js';

/**
 * The events of a period form one unbroken run of sequence numbers: appendEvidence never
 * stamps an event earlier than the one before it, so time order is chain order.
 */
export interface SegmentBounds {
  /** Hash of the event just before the first one (genesis when the segment starts the log). */
  prevHash: string;
  firstSeq: number;
  lastSeq: number;
  events: number;
  /** Hash of the last event (prevHash when the segment is empty): the manifest's chainHead. */
  head: string;
}

/** First line of evidence.jsonl: what a reader needs to check the segment with nothing else. */
export interface SegmentHeader {
  kind: 'attest.evidence-segment';
  prevHash: string;
  firstSeq: number;
  lastSeq: number;
  events: number;
  from: string;
  to: string;
}

/**
 * The period's events up to `lastSeq` (the head of the log when the export's snapshot was
 * fixed): events appended while the bundle is written are never part of it.
 */
export async function findSegment(db: Db, from: Date, to: Date, lastSeq = Number.MAX_SAFE_INTEGER): Promise<SegmentBounds> {
  const [range] = await db
    .select({ first: sql<string | null>`min(${evidenceEvent.seq})`, last: sql<string | null>`max(${evidenceEvent.seq})` })
    .from(evidenceEvent)
    .where(and(gte(evidenceEvent.at, from), lt(evidenceEvent.at, to), lte(evidenceEvent.seq, lastSeq)));
  const first = range?.first == null ? null : Number(range.first);
  const last = range?.last == null ? null : Number(range.last);
  if (first === null || last === null) {
    // Nothing happened in the period: the segment is empty and anchored on the event before it.
    const [before] = await db
      .select({ seq: evidenceEvent.seq, hash: evidenceEvent.hash })
      .from(evidenceEvent)
      .where(and(lt(evidenceEvent.at, from), lte(evidenceEvent.seq, lastSeq)))
      .orderBy(sql`${evidenceEvent.seq} desc`)
      .limit(1);
    const prevHash = before?.hash ?? GENESIS_HASH;
    const seq = before?.seq ?? 0;
    return { prevHash, firstSeq: seq + 1, lastSeq: seq, events: 0, head: prevHash };
  }
  const [prev] = first > 1 ? await db.select({ hash: evidenceEvent.hash }).from(evidenceEvent).where(eq(evidenceEvent.seq, first - 1)) : [];
  const [head] = await db.select({ hash: evidenceEvent.hash }).from(evidenceEvent).where(eq(evidenceEvent.seq, last));
  return { prevHash: prev?.hash ?? GENESIS_HASH, firstSeq: first, lastSeq: last, events: last - first + 1, head: head!.hash };
}

/** evidence.jsonl: the header object, then one event per line with its link and hash. */
export async function* segmentLines(db: Db, bounds: SegmentBounds, period: { from: Date; to: Date }): AsyncGenerator<string> {
  const header: SegmentHeader = {
    kind: 'attest.evidence-segment',
    prevHash: bounds.prevHash,
    firstSeq: bounds.firstSeq,
    lastSeq: bounds.lastSeq,
    events: bounds.events,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
  };
  yield `${JSON.stringify(header)}\n`;
  if (bounds.events === 0) return;
  const rows = keyset((after: number | null, limit) => eventPage(db, (after ?? bounds.firstSeq - 1) + 1, bounds.lastSeq, limit), (r) => r.seq);
  // Lines are handed on in batches: one stream chunk per event would cost more than the JSON.
  let batch = '';
  let lines = 0;
  for await (const e of rows) {
    const line = { seq: e.seq, at: e.at.toISOString(), actor: e.actor, action: e.action, subject: e.subject, payload: e.payload, prevHash: e.prevHash, hash: e.hash };
    batch += `${JSON.stringify(line)}\n`;
    if (++lines >= 500) {
      yield batch;
      batch = '';
      lines = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

interface DriverEvent {
  seq: unknown;
  at: unknown;
  actor: string;
  action: string;
  subject: unknown;
  payload: unknown;
  prev_hash: string;
  hash: string;
}

/**
 * Events `from`..`to` in seq order, at most `limit`, decoded as the query builder would (its
 * own column decoders) but without its row mapping, which cost more than the query.
 */
async function eventPage(db: Db, from: number, to: number, limit: number): Promise<EvidenceRow[]> {
  const e = evidenceEvent;
  const rows = rowsOf<DriverEvent>(
    await db.execute(sql`
      select ${e.seq} as seq, ${e.at} as at, ${e.actor} as actor, ${e.action} as action, ${e.subject} as subject, ${e.payload} as payload, ${e.prevHash} as prev_hash, ${e.hash} as hash
      from ${e} where ${between(e.seq, from, to)} order by ${e.seq} limit ${limit}`),
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: e.at.mapFromDriverValue(r.at as string) as Date,
    actor: r.actor,
    action: r.action,
    subject: e.subject.mapFromDriverValue(r.subject) as EvidenceRow['subject'],
    payload: e.payload.mapFromDriverValue(r.payload) as EvidenceRow['payload'],
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}
