import { createHash } from 'node:crypto';

export interface DigestedItem {
  id: string;
  decision: string;
  decidedAt: Date | null;
}

/**
 * What a sign-off attests to, as one value an auditor can recompute from decisions.csv: the
 * SHA-256 (hex) of one line per item, `<id>,<decision>,<decided at ISO-8601>\n`, in item id
 * order. Any later change to the set of items or to a decision changes it.
 */
export function itemsDigest(items: readonly DigestedItem[]): string {
  const lines = [...items]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((i) => `${i.id},${i.decision},${i.decidedAt ? i.decidedAt.toISOString() : ''}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}
