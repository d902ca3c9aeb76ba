import { getReviewerProgress } from '../../../domain/reviews/get-reviewer-progress.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { buildEscalationMessage, buildReminderMessage, buildSignOffReminderMessage } from '../../views/review-reminder.js';
import type { Renderer } from '../types.js';
import { payloadIds } from './payload.js';

/**
 * `review.reminder`: decided at send time — pending items, else a missing sign-off; skipped
 * when the reviewer finished and signed (or the campaign closed) after it was queued.
 */
export const renderReviewReminder: Renderer = async (deps, row) => {
  const { campaignId, reviewerId } = payloadIds(row, 'campaignId', 'reviewerId');
  const p = await getReviewerProgress(deps.db, campaignId, reviewerId);
  if (p.campaign.status !== 'launched') return null;
  const tz = readerZone(p.reviewer.slackTz, deps.config.TZ);
  if (p.pending > 0) return { mode: 'post', messages: [buildReminderMessage(p, tz)] };
  if (p.decided > 0 && !p.signedOffAt) return { mode: 'post', messages: [buildSignOffReminderMessage(p, tz)] };
  return null;
};

/** `review.escalation`: to the manager (their zone) or the compliance channel (the company's). */
export const renderReviewEscalation: Renderer = async (deps, row) => {
  const { campaignId, reviewerId } = payloadIds(row, 'campaignId', 'reviewerId');
  const audience = row.payload.audience === 'manager' ? 'manager' : 'compliance';
  const p = await getReviewerProgress(deps.db, campaignId, reviewerId);
  if (p.pending === 0 || p.campaign.status !== 'launched') return null;
  const tz = audience === 'manager' ? readerZone(p.manager?.slackTz, deps.config.TZ) : deps.config.TZ;
  return { mode: 'post', messages: [buildEscalationMessage(p, audience, tz)] };
};
