import type { RendererRegistry } from '../types.js';
import { renderRequestApproval, renderRequestUpdate } from './access-request.js';
import { renderCaseRefresh, renderCaseStatus, renderOnboardingSummary } from './case.js';
import { renderCampaignSummary } from './campaign-summary.js';
import { renderCheckpoint } from './checkpoint.js';
import { renderDriftFlag, renderDriftNotice, renderDriftRefresh } from './drift.js';
import { renderControlDigest } from './control-digest.js';
import { renderOktaRefusal } from './okta-refusal.js';
import { renderExceptionReminder } from './review-exception.js';
import { renderReviewEscalation, renderReviewReminder } from './review-reminder.js';
import { renderReviewRefresh, renderReviewRequest } from './review-request.js';
import { renderTaskAssigned, renderTaskOverdue } from './task.js';

/** Outbox kind → renderer. A kind without one is failed by the deliverer with a clear error. */
export const RENDERERS: RendererRegistry = {
  'review.request': renderReviewRequest,
  'review.refresh': renderReviewRefresh,
  'review.reminder': renderReviewReminder,
  'review.escalation': renderReviewEscalation,
  'review.exception_reminder': renderExceptionReminder,
  'campaign.summary': renderCampaignSummary,
  'task.assigned': renderTaskAssigned,
  'task.overdue': renderTaskOverdue,
  'request.approval': renderRequestApproval,
  'request.update': renderRequestUpdate,
  'case.status': renderCaseStatus,
  'case.refresh': renderCaseRefresh,
  'onboarding.summary': renderOnboardingSummary,
  'okta.event_refused': renderOktaRefusal,
  'evidence.checkpoint': renderCheckpoint,
  'drift.notice': renderDriftNotice,
  'drift.refresh': renderDriftRefresh,
  'drift.flag': renderDriftFlag,
  'controls.digest': renderControlDigest,
};
