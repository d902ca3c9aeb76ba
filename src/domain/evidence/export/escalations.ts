import { and, asc, between, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { evidenceEvent } from '../../../db/schema/index.js';
import type { SegmentBounds } from './evidence-segment.js';

/** The evidence action for an overdue review handed up the line (reminder/escalation jobs). */
export const REVIEW_ESCALATED = 'review.escalated';

/**
 * Escalations of overdue reviews in the period, keyed by item id or by `campaign:reviewer`
 * (a job may escalate a reviewer's whole queue in one event). Bounded by the number of
 * escalation events, which is at most one per reviewer per reminder step.
 */
export async function loadEscalations(db: Db, segment: SegmentBounds): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (segment.events === 0) return out;
  const rows = await db
    .select({ seq: evidenceEvent.seq, at: evidenceEvent.at, subject: evidenceEvent.subject, payload: evidenceEvent.payload })
    .from(evidenceEvent)
    .where(and(eq(evidenceEvent.action, REVIEW_ESCALATED), between(evidenceEvent.seq, segment.firstSeq, segment.lastSeq)))
    .orderBy(asc(evidenceEvent.seq));
  for (const r of rows) {
    const to = typeof r.payload.toEmail === 'string' ? ` to ${r.payload.toEmail}` : '';
    const text = `escalated ${r.at.toISOString()}${to} (evidence seq ${r.seq})`;
    const key = r.subject.item ?? (r.subject.campaign && r.subject.reviewer ? `${r.subject.campaign}:${r.subject.reviewer}` : null);
    if (key && !out.has(key)) out.set(key, text);
  }
  return out;
}
