import { and, asc, between, eq, gt } from 'drizzle-orm';
import { evidenceEvent, person } from '../../../db/schema/index.js';
import { isActor, showActor } from '../export/actors.js';
import { keyset } from '../export/keyset.js';
import type { Finding, FindingScope } from './types.js';

export const SECURITY_REFUSED = 'security.refused';

/** Self-review is the refusal an auditor asks about first; the wording comes from the refusing code. */
export function isSelfReview(reason: unknown, attempted: unknown): boolean {
  return /\bself\b|self-review|own access|their own/i.test(`${String(reason ?? '')} ${String(attempted ?? '')}`);
}

/** Every refused attempt in the period (wrong reviewer, self-review, non-HR offboarding…). */
export async function* refusedAttempts(scope: FindingScope): AsyncGenerator<Finding> {
  if (scope.segment.events === 0) return;
  const rows = keyset(
    (after: number | null, limit) =>
      scope.db
        .select({ seq: evidenceEvent.seq, at: evidenceEvent.at, actor: evidenceEvent.actor, email: person.email, subject: evidenceEvent.subject, payload: evidenceEvent.payload })
        .from(evidenceEvent)
        .leftJoin(person, isActor(person.id, evidenceEvent.actor))
        .where(
          and(
            eq(evidenceEvent.action, SECURITY_REFUSED),
            between(evidenceEvent.seq, scope.segment.firstSeq, scope.segment.lastSeq),
            after !== null ? gt(evidenceEvent.seq, after) : undefined,
          ),
        )
        .orderBy(asc(evidenceEvent.seq))
        .limit(limit),
    (r) => r.seq,
  );
  for await (const r of rows) {
    const { attempted, reason } = r.payload;
    const self = isSelfReview(reason, attempted);
    const on = Object.entries(r.subject)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    yield {
      type: self ? 'self_review_attempt' : 'refused_attempt',
      severity: self ? 'high' : 'medium',
      subject: showActor(r.actor, r.email) ?? r.actor,
      detail: `${String(attempted ?? 'an action')} refused at ${r.at.toISOString()}: ${String(reason ?? 'no reason recorded')}${on ? ` (${on})` : ''}`,
      evidence: [`seq:${r.seq}`],
    };
  }
}
