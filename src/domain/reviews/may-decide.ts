import type { ItemHints, ItemSnapshot } from '../../db/schema/index.js';
import { MESSAGES } from './refuse.js';

export interface DecidableItem {
  snapshot: Pick<ItemSnapshot, 'personId'>;
  hints: Pick<ItemHints, 'firstReview'> | null;
}

/**
 * Why the reviewer an item is assigned to may still not decide it (decideItem refuses it), or
 * null when they may: their own access, or the second review of an approval they gave at the
 * first level (it lands with them only when nobody else could take it, for them to hand over).
 * Surfaces offer buttons only for items this allows, so no button leads to a refusal.
 */
export function decisionBarrier(item: DecidableItem, reviewerId: string): string | null {
  if (item.snapshot.personId === reviewerId) return MESSAGES.ownAccess;
  if (item.hints?.firstReview?.decidedById === reviewerId) return MESSAGES.firstReviewer;
  return null;
}
