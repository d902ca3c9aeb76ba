import { describe, expect, it } from 'vitest';
import { assignReviewer, type RoutingContext } from '../../src/domain/reviews/assign-reviewer.js';
import type { PeopleIndex, PersonInfo } from '../../src/domain/reviews/load-people-index.js';

function people(list: Partial<PersonInfo>[]): PeopleIndex {
  const index: PeopleIndex = { byId: new Map(), byEmail: new Map(), bySlackId: new Map() };
  for (const p of list) {
    const full: PersonInfo = { name: p.id!, email: `${p.id}@x.test`, department: null, managerId: null, slackUserId: `U-${p.id}`, status: 'active', ...p } as PersonInfo;
    index.byId.set(full.id, full);
    index.byEmail.set(full.email, full.id);
  }
  return index;
}

const org = people([
  { id: 'ceo' },
  { id: 'boss', managerId: 'ceo' },
  { id: 'mgr', managerId: 'boss' },
  { id: 'dev', managerId: 'mgr' },
  { id: 'loop', managerId: 'loop' },
  { id: 'noslack', managerId: 'boss', slackUserId: null },
  { id: 'report', managerId: 'noslack' },
  { id: 'leaver', managerId: 'boss', status: 'terminated' },
  { id: 'intern', managerId: 'leaver' },
  { id: 'owner', slackUserId: null },
  { id: 'admin2' },
]);

const ctx = (over: Partial<RoutingContext> = {}): RoutingContext => ({ rule: 'manager', campaignOwnerId: 'owner', adminIds: ['owner', 'admin2'], people: org, approversOf: new Map(), ...over });
const item = (subjectId: string | null, resourceOwnerId: string | null = null, grantId = 'g') => ({ grantId, subjectId, resourceOwnerId, resourceName: 'AWS' });

describe('assignReviewer', () => {
  it('picks the manager with no reason when nothing is wrong', () => {
    expect(assignReviewer(ctx(), item('dev'))).toEqual({ reviewerId: 'mgr', reason: null });
  });

  it('skips a manager who approved the grant to their own manager', () => {
    const approversOf = new Map([['g', new Set(['mgr'])]]);
    expect(assignReviewer(ctx({ approversOf }), item('dev'))).toEqual({ reviewerId: 'boss', reason: 'mgr@x.test approved or granted this access' });
  });

  it('sends a manager without Slack, a leaver manager, and no manager at all to the campaign owner (even without Slack)', () => {
    expect(assignReviewer(ctx(), item('report'))).toEqual({ reviewerId: 'owner', reason: 'noslack@x.test has no Slack account', withoutChat: ['noslack'] });
    expect(assignReviewer(ctx(), item('intern'))).toEqual({ reviewerId: 'owner', reason: 'leaver@x.test has left' });
    expect(assignReviewer(ctx(), item('ceo'))).toEqual({ reviewerId: 'owner', reason: 'ceo@x.test has no manager' });
  });

  it('never routes anyone to themselves, even through a manager loop', () => {
    expect(assignReviewer(ctx(), item('loop'))).toEqual({ reviewerId: 'owner', reason: 'loop@x.test would review their own access' });
    expect(assignReviewer(ctx({ rule: 'owner' }), item('dev', 'dev'))).toEqual({ reviewerId: 'mgr', reason: 'dev@x.test would review their own access' });
    expect(assignReviewer(ctx(), item('owner'))).toEqual({ reviewerId: 'admin2', reason: 'owner@x.test has no manager; owner@x.test would review their own access' });
  });

  it('routes orphaned accounts to the resource owner, else the campaign owner, always with a reason', () => {
    expect(assignReviewer(ctx(), item(null, 'boss'))).toEqual({ reviewerId: 'boss', reason: 'orphaned account (no person)' });
    expect(assignReviewer(ctx(), item(null))).toEqual({ reviewerId: 'owner', reason: 'orphaned account (no person); AWS has no owner' });
  });

  it("routes an account of no person to its own owner with no reason; a refused or unknown owner falls back to the resource owner, then the campaign owner", () => {
    const owned = (accountOwnerId: string | null, resourceOwnerId: string | null = null, accountOwnerEmail: string | null = null) => ({ ...item(null, resourceOwnerId), accountOwnerId, accountOwnerEmail });
    expect(assignReviewer(ctx(), owned('dev', 'boss'))).toEqual({ reviewerId: 'dev', reason: null });
    expect(assignReviewer(ctx(), owned('leaver', 'boss'))).toEqual({ reviewerId: 'boss', reason: 'leaver@x.test has left' });
    expect(assignReviewer(ctx(), owned('leaver'))).toEqual({ reviewerId: 'owner', reason: 'leaver@x.test has left' });
    expect(assignReviewer(ctx(), owned(null, 'boss', 'ghost@x.test'))).toEqual({ reviewerId: 'boss', reason: 'orphaned account (no person), its owner ghost@x.test is not in the directory' });
  });

  it('leaves the item with the campaign owner when nobody is eligible, saying so', () => {
    const only = ctx({ adminIds: ['owner'] });
    expect(assignReviewer(only, item('owner'))).toEqual({
      reviewerId: 'owner',
      reason: 'owner@x.test has no manager; owner@x.test would review their own access; no eligible reviewer, left with the campaign owner to delegate',
    });
  });
});
