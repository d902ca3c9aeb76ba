import type { OutboxIntent } from '../outbox/enqueue-message.js';

/**
 * The outbox intents of reviews. Ids only: the Slack deliverer renders from current data at
 * send time, so a message reflects every decision made before it went out. Each is addressed
 * to the reviewer (person id); their Slack user id is read when it is queued unless given.
 */

/**
 * The reviewer's one DM per campaign. Deduplicated per campaign and reviewer: sent once. A
 * reviewer with no Slack user yet gets it when they are linked.
 */
export function reviewRequest(campaignId: string, reviewerId: string, slackUserId: string | null = null): OutboxIntent {
  return {
    kind: 'review.request',
    channel: slackUserId,
    recipientPersonId: reviewerId,
    dedupeKey: `review.request:${campaignId}:${reviewerId}`,
    payload: { campaignId, reviewerId },
  };
}

/**
 * Update the reviewer's DM in place. No dedupe key on purpose: a key per time bucket would
 * drop the refresh of a decision made just after the bucket's refresh was sent, leaving the DM
 * stale. Each refresh renders current data, so the deliverer may coalesce pending refreshes
 * for the same campaign and reviewer. Not queued for a reviewer with no Slack user: they have
 * no DM to update, and their waiting request renders current data when it goes out.
 */
export function reviewRefresh(campaignId: string, reviewerId: string, slackUserId: string | null = null): OutboxIntent {
  return {
    kind: 'review.refresh',
    channel: slackUserId,
    recipientPersonId: reviewerId,
    skipWhenUnreachable: true,
    dedupeKey: null,
    payload: { campaignId, reviewerId },
  };
}

/** The close summary for compliance (channel from COMPLIANCE_CHANNEL; null lets the deliverer drop it). */
export function campaignSummary(campaignId: string, channel: string | null): OutboxIntent {
  return { kind: 'campaign.summary', channel, dedupeKey: `campaign.summary:${campaignId}`, payload: { campaignId } };
}
