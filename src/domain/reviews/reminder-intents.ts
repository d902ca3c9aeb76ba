import type { OutboxIntent } from '../outbox/enqueue-message.js';

/**
 * A nudge for one reviewer at one reminder offset: one per campaign, reviewer and offset.
 * Addressed to the reviewer: without a Slack user it waits for one (and is skipped at send
 * time if they have finished by then).
 */
export function reviewReminder(campaignId: string, reviewerId: string, offsetDays: number): OutboxIntent {
  return {
    kind: 'review.reminder',
    recipientPersonId: reviewerId,
    dedupeKey: `review.reminder:${campaignId}:${reviewerId}:${offsetDays}`,
    payload: { campaignId, reviewerId, offsetDays },
  };
}

/**
 * An exception kept at review ends soon: its reviewer is told once, a week before (one per
 * item, whatever the number of runs or replicas).
 */
export function exceptionReminder(campaignId: string, itemId: string, reviewerId: string): OutboxIntent {
  return {
    kind: 'review.exception_reminder',
    recipientPersonId: reviewerId,
    dedupeKey: `review.exception_reminder:${itemId}`,
    payload: { campaignId, itemId, reviewerId },
  };
}

export type EscalationAudience = 'manager' | 'compliance';

/**
 * A reviewer past the due date, told to their manager (a person, reached once they are in
 * Slack) or to compliance (a channel): once per reviewer and audience.
 */
export function reviewEscalation(campaignId: string, reviewerId: string, audience: EscalationAudience, to: { personId: string } | { channel: string }): OutboxIntent {
  return {
    kind: 'review.escalation',
    ...('personId' in to ? { recipientPersonId: to.personId } : { channel: to.channel }),
    dedupeKey: `review.escalation:${campaignId}:${reviewerId}:${audience}`,
    payload: { campaignId, reviewerId, audience },
  };
}
