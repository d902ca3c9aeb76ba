import type { PeopleIndex } from './load-people-index.js';

export interface SecondRoutingContext {
  campaignOwnerId: string;
  /** Admins in seniority order: tried after the campaign owner. */
  adminIds: string[];
  people: PeopleIndex;
}

export interface SecondRoutingItem {
  subjectId: string | null;
  resourceOwnerId: string | null;
  resourceName: string;
  /** Who took part in the first decision (who decided, who it was assigned to, who handed it over). */
  firstReviewerIds: string[];
}

export interface SecondAssignment {
  reviewerId: string;
  /** Why the reviewer is not the resource's owner; null when it is. */
  reason: string | null;
}

/**
 * Picks the second reviewer of an approved privileged item: the resource's owner, unless they
 * are the person whose access it is or took part in the first decision (a second look by the
 * same eyes is no second look), have left, or have no Slack account to review in. Then the
 * campaign owner, then the other admins, with every step away from the owner given as a reason
 * (shown by `campaign status` like a launch's fallbacks). When everyone is refused, the campaign
 * owner holds the item to delegate; deciding it stays refused to the first reviewer.
 */
export function routeSecondReviewer(ctx: SecondRoutingContext, item: SecondRoutingItem): SecondAssignment {
  const reasons: string[] = [];
  if (!item.resourceOwnerId) reasons.push(`${item.resourceName} has no owner`);
  const tried = new Set<string>();
  for (const candidate of [item.resourceOwnerId, ctx.campaignOwnerId, ...ctx.adminIds]) {
    if (!candidate || tried.has(candidate)) continue;
    tried.add(candidate);
    const problem = refusal(ctx, candidate, item);
    if (!problem) return { reviewerId: candidate, reason: reasons.length > 0 ? reasons.join('; ') : null };
    reasons.push(`${ctx.people.byId.get(candidate)?.email ?? candidate} ${problem}`);
  }
  reasons.push('no eligible second reviewer, left with the campaign owner to delegate');
  return { reviewerId: ctx.campaignOwnerId, reason: reasons.join('; ') };
}

function refusal(ctx: SecondRoutingContext, id: string, item: SecondRoutingItem): string | null {
  const p = ctx.people.byId.get(id);
  if (!p) return 'is not in the directory';
  if (id === item.subjectId) return 'would review their own access';
  if (item.firstReviewerIds.includes(id)) return 'made the first decision';
  if (p.status === 'terminated') return 'has left';
  // The campaign owner is the last resort: they can work from the CLI and App Home without a DM.
  if (!p.slackUserId && id !== ctx.campaignOwnerId) return 'has no Slack account';
  return null;
}
