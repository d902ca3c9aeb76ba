import type { RendererRegistry } from '../types.js';
import { renderCampaignSummary } from './campaign-summary.js';
import { renderReviewEscalation, renderReviewReminder } from './review-reminder.js';
import { renderReviewRefresh, renderReviewRequest } from './review-request.js';
import { renderTaskAssigned, renderTaskOverdue } from './task.js';

/**
 * Outbox kind → renderer. Kinds queued by lifecycle code without a renderer here yet
 * (`case.status`, `case.refresh`, `request.approval`, `request.update`, `onboarding.summary`)
 * are failed by the deliverer with a clear error until theirs are added.
 */
export const RENDERERS: RendererRegistry = {
  'review.request': renderReviewRequest,
  'review.refresh': renderReviewRefresh,
  'review.reminder': renderReviewReminder,
  'review.escalation': renderReviewEscalation,
  'campaign.summary': renderCampaignSummary,
  'task.assigned': renderTaskAssigned,
  'task.overdue': renderTaskOverdue,
};
