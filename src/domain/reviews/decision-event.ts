import type { ItemHints, ItemSnapshot } from '../../db/schema/index.js';
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
  /** What the reviewer was shown next to the item (null or absent: launched before hints). */
  hints?: ItemHints | null;
}

/** The suggestion shown with an item, in the DM's words, or null when none was. */
export function suggestionShown(hints: ItemHints | null | undefined): string | null {
  const s = hints?.suggestRevoke;
  if (!s) return null;
  return `revoke — ${s.kind === 'never' ? 'never signed in' : `no sign-in for ${s.days} days`}`;
}

/**
 * `review.decided`: what an auditor needs without joining any table — who decided (by id,
 * email, name and Slack user), when, why, and the frozen facts of the access decided on.
 * `reviewer` null means the system decided (the campaign's non-response rule).
 * `suggestion` is the suggestion the reviewer was shown (null: none) and `followedSuggestion`
 * whether the decision took it (a suggested revoke followed only by a revoke; null with no
 * suggestion), so that an auditor can count who approved what Attest suggested revoking.
 */
export function decisionEvent(
  item: DecidedItem,
  d: {
    decision: 'approved' | 'revoked' | 'kept';
    reason: string | null;
    removalTiming: string | null;
    at: Date;
    reviewer: DecidingReviewer | null;
    bulk?: boolean;
    /** A `kept` decision: the compensating control and when the exception ends. */
    exception?: { control: string; endsAt: Date };
  },
): NewEvidence {
  const s = item.snapshot;
  const suggestion = suggestionShown(item.hints);
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
      suggestion,
      followedSuggestion: suggestion === null ? null : d.decision === 'revoked',
      ...(d.exception ? { exception: { control: d.exception.control, endsAt: d.exception.endsAt } } : {}),
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
