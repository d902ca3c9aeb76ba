import { findThreadMessages } from '../../../domain/outbox/find-thread-messages.js';
import { getReviewRequest, type ReviewRequest } from '../../../domain/reviews/get-review-request.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { buildReviewMessages, retiredPage } from '../../views/review-request.js';
import type { RenderedMessage, Renderer } from '../types.js';
import { payloadIds } from './payload.js';

export function reviewThreadKey(campaignId: string, reviewerId: string): string {
  return `review:${campaignId}:${reviewerId}`;
}

type Deps = Parameters<Renderer>[0];

/** `review.request`: the reviewer's DM, posted once per campaign (several pages when long). */
export const renderReviewRequest: Renderer = async (deps, row) => {
  const { campaignId, reviewerId } = payloadIds(row, 'campaignId', 'reviewerId');
  const request = await getReviewRequest(deps.db, campaignId, reviewerId);
  // Nothing to ask (all handed over or decided elsewhere, or the campaign closed first): say nothing.
  const pending = request.groups.reduce((n, g) => n + g.pending, 0);
  if (request.campaign.status !== 'launched' || pending === 0) return null;
  return { mode: 'post', threadKey: reviewThreadKey(campaignId, reviewerId), messages: messagesFor(deps, request) };
};

/**
 * `review.refresh`: the same DM from current data, edited in place. When it now has fewer pages
 * than were posted (items handed over), the pages left over are emptied so no stale Approve
 * button stays clickable.
 */
export const renderReviewRefresh: Renderer = async (deps, row) => {
  const { campaignId, reviewerId } = payloadIds(row, 'campaignId', 'reviewerId');
  const request = await getReviewRequest(deps.db, campaignId, reviewerId);
  const threadKey = reviewThreadKey(campaignId, reviewerId);
  const messages = messagesFor(deps, request);
  const posted = await findThreadMessages(deps.db, threadKey);
  const last = Math.max(messages.length - 1, ...posted.keys());
  const all = Array.from({ length: last + 1 }, (_, page) => messages[page] ?? retiredPage(request.campaign.name));
  return { mode: 'update', threadKey, messages: all };
};

function messagesFor(deps: Deps, request: ReviewRequest): RenderedMessage[] {
  return buildReviewMessages({
    request,
    tz: readerZone(request.reviewer.slackTz, deps.config.TZ),
    now: deps.clock.now(),
    staleLoginDays: deps.config.STALE_LOGIN_DAYS,
  });
}
