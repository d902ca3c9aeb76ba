import { describe, expect, it } from 'vitest';
import type { PeopleIndex, PersonInfo } from '../../src/domain/reviews/load-people-index.js';
import { routeSecondReviewer, type SecondRoutingContext, type SecondRoutingItem } from '../../src/domain/reviews/route-second-reviewer.js';

function people(list: Partial<PersonInfo>[]): PeopleIndex {
  const index: PeopleIndex = { byId: new Map(), byEmail: new Map(), bySlackId: new Map() };
  for (const p of list) {
    const full = { name: p.id!, email: `${p.id}@x.test`, department: null, managerId: null, slackUserId: `U-${p.id}`, status: 'active', ...p } as PersonInfo;
    index.byId.set(full.id, full);
    index.byEmail.set(full.email, full.id);
  }
  return index;
}

const org = people([{ id: 'owner' }, { id: 'dev' }, { id: 'mgr' }, { id: 'leaver', status: 'terminated' }, { id: 'noslack', slackUserId: null }, { id: 'boss', slackUserId: null }, { id: 'admin2' }]);
const ctx: SecondRoutingContext = { campaignOwnerId: 'boss', adminIds: ['boss', 'admin2'], people: org };
const item = (over: Partial<SecondRoutingItem> = {}): SecondRoutingItem => ({ subjectId: 'dev', resourceOwnerId: 'owner', resourceName: 'AWS', firstReviewerIds: ['mgr'], ...over });

describe('routeSecondReviewer', () => {
  it("picks the resource's owner with no reason when nothing is wrong", () => {
    expect(routeSecondReviewer(ctx, item())).toEqual({ reviewerId: 'owner', reason: null });
  });

  it('falls back to the campaign owner, even without Slack, when the resource has no owner or its owner cannot take it', () => {
    expect(routeSecondReviewer(ctx, item({ resourceOwnerId: null }))).toEqual({ reviewerId: 'boss', reason: 'AWS has no owner' });
    expect(routeSecondReviewer(ctx, item({ resourceOwnerId: 'dev' }))).toEqual({ reviewerId: 'boss', reason: 'dev@x.test would review their own access' });
    expect(routeSecondReviewer(ctx, item({ resourceOwnerId: 'mgr' }))).toEqual({ reviewerId: 'boss', reason: 'mgr@x.test made the first decision' });
    expect(routeSecondReviewer(ctx, item({ resourceOwnerId: 'leaver' }))).toEqual({ reviewerId: 'boss', reason: 'leaver@x.test has left' });
    expect(routeSecondReviewer(ctx, item({ resourceOwnerId: 'noslack' }))).toEqual({ reviewerId: 'boss', reason: 'noslack@x.test has no Slack account' });
  });

  it('goes on to the other admins when the campaign owner took part in the first decision', () => {
    expect(routeSecondReviewer(ctx, item({ resourceOwnerId: 'mgr', firstReviewerIds: ['mgr', 'boss'] }))).toEqual({
      reviewerId: 'admin2',
      reason: 'mgr@x.test made the first decision; boss@x.test made the first decision',
    });
  });

  it('leaves the item with the campaign owner to delegate when nobody is eligible, saying so', () => {
    const r = routeSecondReviewer(ctx, item({ subjectId: 'admin2', resourceOwnerId: 'mgr', firstReviewerIds: ['mgr', 'boss'] }));
    expect(r.reviewerId).toBe('boss');
    expect(r.reason).toMatch(/admin2@x\.test would review their own access; no eligible second reviewer, left with the campaign owner to delegate$/);
  });
});
