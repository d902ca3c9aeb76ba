import type { ItemSnapshot } from '../../db/schema/index.js';
import type { NewEvidence } from '../evidence/append-evidence.js';

export interface DecidingReviewer {
  id: string;
  email: string;
  name: string;
  slackUserId: string | null;
}

export interface DecidedItem {
  id: string;
  campaignId: string;
  grantId: string;
  snapshot: ItemSnapshot;
}

/**
 * `review.decided`: what an auditor needs without joining any table — who decided (by id,
 * email, name and Slack user), when, why, and the frozen facts of the access decided on.
 * `reviewer` null means the system decided (the campaign's non-response rule).
 */
export function decisionEvent(
  item: DecidedItem,
  d: { decision: 'approved' | 'revoked'; reason: string | null; removalTiming: string | null; at: Date; reviewer: DecidingReviewer | null; bulk?: boolean },
): NewEvidence {
  const s = item.snapshot;
  return {
    actor: d.reviewer ? `person:${d.reviewer.id}` : 'system',
    action: 'review.decided',
    subject: { campaign: item.campaignId, item: item.id },
    payload: {
      itemId: item.id,
      campaignId: item.campaignId,
      grantId: item.grantId,
      decision: d.decision,
      reason: d.reason,
      removalTiming: d.removalTiming,
      decidedAt: d.at,
      reviewer: d.reviewer
        ? { personId: d.reviewer.id, email: d.reviewer.email, name: d.reviewer.name, slackUserId: d.reviewer.slackUserId }
        : { personId: null, email: null, name: 'system', slackUserId: null },
      ...(d.bulk ? { bulk: true } : {}),
      access: {
        personId: s.personId,
        personEmail: s.personEmail,
        personName: s.personName,
        system: s.system,
        accountLogin: s.accountLogin,
        accountStatus: s.accountStatus,
        resourceId: s.resourceId,
        resourceName: s.resourceName,
        via: s.via,
        privileged: s.privileged,
        lastLoginAt: s.lastLoginAt,
      },
    },
  };
}
