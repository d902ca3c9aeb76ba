import type { ItemHints } from '../../../db/schema/index.js';

/**
 * What the bundle says about a review's depth (issue 13): the suggestion a reviewer was shown,
 * whether the decision followed it, and an item's outcome over both levels. Shared by the CSVs
 * and the findings so that they can never disagree.
 */

/** The suggestion shown next to the item, as the CSV spells it; null when there was none. */
export function suggestionText(hints: ItemHints | null | undefined): string | null {
  const s = hints?.suggestRevoke;
  if (!s) return null;
  return s.kind === 'never' ? 'revoke: never signed in' : `revoke: no sign-in for ${s.days} days`;
}

/** yes/no once decided with a suggestion shown; null (an empty cell) otherwise. */
export function followedSuggestion(hints: ItemHints | null | undefined, decision: string): boolean | null {
  if (!hints?.suggestRevoke || decision === 'pending') return null;
  return decision === 'revoked';
}

export type FinalOutcome = 'revoked' | 'kept' | 'approved' | 'pending';

/**
 * An item's outcome over its levels: a revoke at either level revokes; a first-level `kept`
 * stands; an approval stands once the second level (when there is one) approved too; anything
 * still waiting for a decision at some level is pending.
 */
export function finalOutcome(first: string, second: string | null): FinalOutcome {
  if (first === 'revoked' || second === 'revoked') return 'revoked';
  if (first === 'kept') return 'kept';
  if (first === 'pending' || second === 'pending') return 'pending';
  return 'approved';
}

/** An exception is open until its end date, expired from it on. */
export function exceptionStatus(endsAt: Date | null, at: Date): 'open' | 'expired' {
  return endsAt && endsAt.getTime() <= at.getTime() ? 'expired' : 'open';
}
