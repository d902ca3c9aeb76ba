import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { reviewItem, reviewSignoff, type ItemHints } from '../../src/db/schema/index.js';
import type { Quarter } from './quarter.js';

/**
 * Issue 13's rows on top of the quarter, written straight into the tables as the Slack flows
 * would leave them (the export is tested against values the test knows):
 * - Łukasz/GitHub: suggested (no sign-in for 120 days), approved by Maria; approved before in
 *   "Q3 review"; then revoked at the second level by Ivan (the resource owner), who followed it.
 * - Alexei/@SUM: suggested (never signed in), approved by Maria: she approved every suggestion.
 * - Alexei/-1 Group (the quarter's undecided item): kept by Maria as an exception that ended
 *   on 1 Dec 2026, so expired at the export; Maria has then decided everything, never signed.
 * - Taro/Payroll: new since the last review; Dana signs off.
 * - Nomad/GitHub: an account without a person (owner found on the account), Olivia reviews it.
 */
export async function addReviewDepth(db: Db, q: Quarter) {
  const base: ItemHints = { history: null, compared: true, suggestRevoke: null, unusual: null, outsideRequest: false, ownerless: null };
  const hint = (id: string, hints: Partial<ItemHints>) => db.update(reviewItem).set({ hints: { ...base, ...hints } }).where(eq(reviewItem.id, id));
  await hint(q.items.approved.id, {
    suggestRevoke: { kind: 'stale', days: 120 },
    history: { campaignId: '00000000-0000-4000-8000-0000000000a3', campaignName: 'Q3 review', decision: 'approved', decidedByName: 'Maria Manager', decidedAt: '2026-07-10T09:00:00.000Z' },
  });
  await hint(q.items.formula.id, { suggestRevoke: { kind: 'never' } });
  await hint(q.items.delegated.id, {});
  await hint(q.items.fallback.id, { ownerless: { ownerSource: 'account' } });

  const endsAt = new Date('2026-12-01T00:00:00Z');
  await db
    .update(reviewItem)
    .set({ decision: 'kept', decidedBy: q.people.maria, decidedAt: new Date('2026-10-20T10:00:00Z'), reason: 'needed for the audit', exceptionControl: 'weekly log review', exceptionEndsAt: endsAt })
    .where(eq(reviewItem.id, q.items.undecided.id));

  const [first] = await db.select().from(reviewItem).where(and(eq(reviewItem.id, q.items.approved.id)));
  const [second] = await db
    .insert(reviewItem)
    .values({ campaignId: q.campaign.id, grantId: first!.grantId, level: 2, snapshot: first!.snapshot, hints: first!.hints, reviewerId: q.people.ivan, decision: 'revoked', decidedBy: q.people.ivan, decidedAt: new Date('2026-10-09T10:00:00Z'), reason: 'not for contractors' })
    .returning();

  await db.insert(reviewSignoff).values({
    campaignId: q.campaign.id,
    reviewerId: q.people.dana,
    statement: 'I reviewed each of these 1 items, and the decisions reflect current business need.',
    itemCount: 1,
    itemsDigest: 'a'.repeat(64),
    signedAt: new Date('2026-10-06T16:00:00Z'),
  });
  return { secondLevelItemId: second!.id, exceptionEndsAt: endsAt };
}
