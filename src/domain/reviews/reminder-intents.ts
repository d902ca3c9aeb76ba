import type { OutboxIntent } from '../outbox/enqueue-message.js';

/** A nudge for one reviewer at one reminder offset: one per campaign, reviewer and offset. */
export function reviewReminder(campaignId: string, reviewerId: string, slackUserId: string, offsetDays: number): OutboxIntent {
  return {
    kind: 'review.reminder',
    channel: slackUserId,
    dedupeKey: `review.reminder:${campaignId}:${reviewerId}:${offsetDays}`,
    payload: { campaignId, reviewerId, offsetDays },
  };
}

export type EscalationAudience = 'manager' | 'compliance';

/** A reviewer past the due date, told to their manager or to compliance: once per reviewer and audience. */
export function reviewEscalation(campaignId: string, reviewerId: string, audience: EscalationAudience, channel: string): OutboxIntent {
  return {
    kind: 'review.escalation',
    channel,
    dedupeKey: `review.escalation:${campaignId}:${reviewerId}:${audience}`,
    payload: { campaignId, reviewerId, audience },
  };
}
