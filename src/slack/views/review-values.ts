import { LIMITS, truncate } from './limits.js';

/**
 * What the review buttons carry in `value` (max 2000 characters), written by the views and
 * read by the listeners: one codec so the two never disagree. Values arrive back from Slack
 * as sent, but a forged or stale one must parse to "nothing" rather than throw.
 */

/** "Approve all for <name>": the campaign and whose access. */
export function personValue(campaignId: string, personId: string): string {
  return `${campaignId}:${personId}`;
}

export function parsePersonValue(value: string | undefined): { campaignId: string; personId: string } | null {
  const [campaignId, personId, extra] = (value ?? '').split(':');
  return campaignId && personId && extra === undefined ? { campaignId, personId } : null;
}

/** "Reassign…": one person's pending items, or named items (an orphaned account has no person). */
export type ReassignTarget = { campaignId: string; personId: string } | { campaignId: string; itemIds: string[] };

export function reassignValue(target: ReassignTarget, whose: string): string | null {
  // The name rides along so the modal can say whose items these are without a database read
  // before views.open (its trigger id expires 3 seconds after the click).
  const n = truncate(whose, 100);
  const v = 'personId' in target ? JSON.stringify({ c: target.campaignId, p: target.personId, n }) : JSON.stringify({ c: target.campaignId, i: target.itemIds, n });
  // Too many items of one orphaned account to name in a button: better no button than a partial handover.
  return v.length <= LIMITS.buttonValue ? v : null;
}

export function parseReassignValue(value: string | undefined): { target: ReassignTarget; whose: string } | null {
  try {
    const v = JSON.parse(value ?? '') as { c?: unknown; p?: unknown; i?: unknown; n?: unknown };
    if (typeof v.c !== 'string') return null;
    const whose = typeof v.n === 'string' ? v.n : '';
    if (typeof v.p === 'string') return { target: { campaignId: v.c, personId: v.p }, whose };
    if (Array.isArray(v.i) && v.i.length > 0 && v.i.every((x) => typeof x === 'string')) return { target: { campaignId: v.c, itemIds: v.i as string[] }, whose };
    return null;
  } catch {
    return null;
  }
}
