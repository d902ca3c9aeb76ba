import type { PeopleIndex } from './load-people-index.js';

export interface RoutingContext {
  rule: 'manager' | 'owner';
  campaignOwnerId: string;
  /** Admins in seniority order: tried after the campaign owner. */
  adminIds: string[];
  people: PeopleIndex;
  /** grant id → who approved or carried out its grant request. */
  approversOf: Map<string, Set<string>>;
}

export interface RoutingItem {
  grantId: string;
  subjectId: string | null;
  resourceOwnerId: string | null;
  resourceName: string;
  /** For an account that belongs to no person: who answers for it (the source's owner email, resolved). */
  accountOwnerId?: string | null;
  /** That owner's email as the source gave it (named in the reason when it matches no one). */
  accountOwnerEmail?: string | null;
}

export interface Assignment {
  reviewerId: string;
  /** Why the reviewer is not the rule's first choice; null when it is. */
  reason: string | null;
  /**
   * Candidates refused only because they have no Slack account (absent when none were): a
   * launch looks them up in Slack and plans again before settling for the fallback.
   */
  withoutChat?: string[];
}

interface Problem {
  text: string;
  /** Try the refused candidate's own manager next (a skip-level review) before the owner. */
  escalate: boolean;
  noChat?: boolean;
}

/**
 * Picks one item's reviewer. The rule names a first choice (the subject's manager, or the
 * resource owner; for an account that belongs to no person, the account's owner, else the
 * resource owner); a candidate is refused when they are the subject (nobody reviews their own
 * access), when they approved or carried out this grant (segregation of duties), when they have
 * left, or when they have no Slack account to review in. Refusals for self-review and approval
 * escalate to the refused person's manager; the rest, and a missing manager or owner, go to the
 * campaign owner, then to the other admins. Every step away from the first choice is a reason.
 *
 * Launches apply the no-reason case (first choice accepted at once) in SQL, in bulk: see
 * `firstChoiceSql` in population-sql.ts, which must change with `refusal` below
 * (campaign-routing-sql.test.ts compares the two).
 */
export function assignReviewer(ctx: RoutingContext, item: RoutingItem): Assignment {
  const { people } = ctx;
  const subject = item.subjectId ? people.byId.get(item.subjectId) : undefined;
  const approvers = ctx.approversOf.get(item.grantId);
  const reasons: string[] = [];
  const tried = new Set<string>();
  const withoutChat: string[] = [];
  const assigned = (reviewerId: string, reason: string | null): Assignment =>
    withoutChat.length > 0 ? { reviewerId, reason, withoutChat } : { reviewerId, reason };

  let next: string | null;
  /** Tried before the campaign owner when `next` is refused: an ownerless account's resource owner. */
  const thenTry: string[] = [];
  if (!subject && item.accountOwnerId) {
    // The account's own owner is the right reviewer, not a fallback: no reason.
    next = item.accountOwnerId;
    if (item.resourceOwnerId) thenTry.push(item.resourceOwnerId);
  } else if (!subject) {
    reasons.push(item.accountOwnerEmail ? `orphaned account (no person), its owner ${item.accountOwnerEmail} is not in the directory` : 'orphaned account (no person)');
    next = item.resourceOwnerId;
    if (!next) reasons.push(`${item.resourceName} has no owner`);
  } else if (ctx.rule === 'owner') {
    next = item.resourceOwnerId;
    if (!next) reasons.push(`${item.resourceName} has no owner`);
  } else {
    next = subject.managerId;
    if (!next) reasons.push(`${subject.email} has no manager`);
  }

  const lastResorts = [...thenTry, ctx.campaignOwnerId, ...ctx.adminIds];
  for (;;) {
    const candidate = next && !tried.has(next) ? next : lastResorts.find((id) => !tried.has(id));
    if (!candidate) break;
    tried.add(candidate);
    const problem = refusal(ctx, candidate, subject?.id ?? null, approvers);
    if (!problem) return assigned(candidate, reasons.length > 0 ? reasons.join('; ') : null);
    if (problem.noChat) withoutChat.push(candidate);
    reasons.push(`${people.byId.get(candidate)?.email ?? candidate} ${problem.text}`);
    next = problem.escalate ? (people.byId.get(candidate)?.managerId ?? null) : null;
  }
  // Everyone refused (e.g. the only admin's own access): the owner holds the item and must delegate it.
  reasons.push('no eligible reviewer, left with the campaign owner to delegate');
  return assigned(ctx.campaignOwnerId, reasons.join('; '));
}

function refusal(ctx: RoutingContext, id: string, subjectId: string | null, approvers: Set<string> | undefined): Problem | null {
  const p = ctx.people.byId.get(id);
  if (!p) return { text: 'is not in the directory', escalate: false };
  if (id === subjectId) return { text: 'would review their own access', escalate: true };
  if (approvers?.has(id)) return { text: 'approved or granted this access', escalate: true };
  if (p.status === 'terminated') return { text: 'has left', escalate: false };
  // The campaign owner is the last resort: they can work from the CLI and App Home without a DM.
  if (!p.slackUserId && id !== ctx.campaignOwnerId) return { text: 'has no Slack account', escalate: false, noChat: true };
  return null;
}
