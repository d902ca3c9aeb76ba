import { describe, expect, it } from 'vitest';
import type { ItemHints } from '../../src/db/schema/index.js';
import { itemRank, type ReviewerItem, type ReviewerPersonGroup } from '../../src/domain/reviews/find-reviewer-items.js';
import type { ReviewRequest } from '../../src/domain/reviews/get-review-request.js';
import { hintLines } from '../../src/slack/views/review-item.js';
import { buildReviewMessages, OWNERLESS_TITLE } from '../../src/slack/views/review-request.js';
import { LIMITS } from '../../src/slack/views/limits.js';
import { messageBlockErrors } from '../helpers/slack-blocks.js';

const now = new Date('2026-10-01T09:00:00Z');
const CAMPAIGN = '11111111-1111-4111-8111-111111111111';
let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

const NONE: ItemHints = { history: null, compared: false, suggestRevoke: null, unusual: null, outsideRequest: false, ownerless: null };
const hints = (o: Partial<ItemHints> = {}): ItemHints => ({ ...NONE, ...o });
const LONG = `${'Quarterly access review of every system '.repeat(10)}<!channel>`;

/** Every hint at once, with names as long as anyone would type: the worst case for the section text. */
const ALL_HINTS = hints({
  history: { campaignId: CAMPAIGN, campaignName: LONG, decision: 'approved', decidedByName: 'Maximilian-Alexander '.repeat(8), decidedAt: '2026-07-01T10:00:00.000Z' },
  compared: true,
  suggestRevoke: { kind: 'stale', days: 400 },
  unusual: { holders: 1, peers: 250, department: 'Research and Development '.repeat(8) },
  outsideRequest: true,
});

function item(n: number, h: ItemHints | null, personId: string | null, o: { privileged?: boolean } = {}): ReviewerItem {
  return {
    itemId: uuid(),
    snapshot: {
      personId, personName: '', personEmail: 'x@acme.test', department: null, managerEmail: null, system: 'okta', source: 'okta',
      accountLogin: 'svc-account-with-a-long-login-name', accountStatus: 'active', resourceId: uuid(), resourceName: `App-${n} ${'x'.repeat(150)}`, resourceKind: 'app',
      via: 'direct', privileged: o.privileged ?? false, lastLoginAt: '2025-01-20T08:00:00.000Z',
    },
    decision: 'pending', decidedAt: null, decidedBy: null, reason: null, removalTiming: null, requestId: null,
    fallbackReason: 'orphaned account (no person); the resource has no owner', delegatedFrom: null, delegationReason: null, hints: h,
  };
}

function group(name: string, items: ReviewerItem[], personId: string | null): ReviewerPersonGroup {
  return { personId, personName: name, personEmail: `${name}@acme.test`, department: 'Eng', orphaned: !personId, pending: items.length, items };
}

function request(groups: ReviewerPersonGroup[]): ReviewRequest {
  return {
    campaign: { id: CAMPAIGN, name: 'Q4 review', status: 'launched', dueAt: new Date('2026-12-31T22:59:59Z'), closedAt: null },
    reviewer: { id: uuid(), name: 'Maria', email: 'maria@acme.test', slackUserId: 'U2', slackTz: 'UTC' },
    groups,
    groupNames: {},
  };
}

describe('hint lines', () => {
  it('use the exact words for history, new access and each suggestion', () => {
    const at = '2026-07-01T10:00:00.000Z';
    const was = (decision: 'approved' | 'revoked' | 'kept' | 'pending', decidedByName: string | null = 'Li Lead') =>
      hintLines(hints({ compared: true, history: { campaignId: CAMPAIGN, campaignName: 'Q3 review', decision, decidedByName, decidedAt: decision === 'pending' ? null : at } }), { tz: 'UTC' });
    expect(was('approved')).toEqual([':repeat: Approved in "Q3 review" by Li Lead on 1 Jul 2026']);
    expect(was('revoked')).toEqual([':repeat: Revoked in "Q3 review" by Li Lead on 1 Jul 2026']);
    expect(was('kept')).toEqual([':repeat: Kept as exception in "Q3 review" by Li Lead on 1 Jul 2026']);
    expect(was('pending', null)).toEqual([':repeat: Undecided in "Q3 review"']);
    expect(was('revoked', null)).toEqual([':repeat: Revoked in "Q3 review" by Attest (no response by the due date) on 1 Jul 2026']);
    expect(hintLines(hints({ compared: true }), { tz: 'UTC' })).toEqual([':new: New since the last review']);
    // Nothing to compare with: neither history nor "new".
    expect(hintLines(NONE, { tz: 'UTC' })).toEqual([]);
    expect(hintLines(hints({ suggestRevoke: { kind: 'stale', days: 120 } }), { tz: 'UTC' })).toEqual([':bulb: Suggested: revoke — no sign-in for 120 days']);
    expect(hintLines(hints({ suggestRevoke: { kind: 'never' } }), { tz: 'UTC' })).toEqual([':bulb: Suggested: revoke — never signed in']);
    expect(hintLines(hints({ unusual: { holders: 1, peers: 12, department: 'Sales' } }), { tz: 'UTC' })).toEqual([':mag: Unusual: 1 of 12 in Sales have this']);
    expect(hintLines(hints({ outsideRequest: true }), { tz: 'UTC' })).toEqual([':grey_question: Granted outside a request']);
  });

  it('escape and shorten names typed by people', () => {
    const [line] = hintLines(ALL_HINTS, { tz: 'UTC' });
    expect(line).not.toContain('<!channel>');
    expect(line!.length).toBeLessThan(250);
  });
});

describe('item order', () => {
  it('ranks suggested revokes, then privileged, then new, then the rest', () => {
    const rank = (h: Partial<ItemHints>, privileged = false) => itemRank(item(0, hints(h), uuid(), { privileged }));
    expect(rank({ suggestRevoke: { kind: 'never' } }, true)).toBe(0);
    expect(rank({ compared: true }, true)).toBe(1);
    expect(rank({ compared: true })).toBe(2);
    expect(rank({ compared: true, history: ALL_HINTS.history })).toBe(3);
    expect(rank({})).toBe(3);
    expect(itemRank(item(0, null, uuid()))).toBe(3);
  });
});

describe('a 300-item DM with every hint line', () => {
  it('stays within Block Kit limits, shows each item once and titles the accounts without a person once', () => {
    const people = Array.from({ length: 10 }, (_, p) => group(`Person ${p}`, Array.from({ length: 20 }, (_, i) => item(p * 20 + i, ALL_HINTS, `p${p}`)), uuid()));
    const ownerless = Array.from({ length: 5 }, (_, o) => group(`svc-${o}`, Array.from({ length: 20 }, (_, i) => item(200 + o * 20 + i, { ...ALL_HINTS, ownerless: { ownerSource: 'account' } }, null)), null));
    const msgs = buildReviewMessages({ request: request([...people, ...ownerless]), tz: 'UTC', now, staleLoginDays: 90 });
    expect(msgs.length).toBeGreaterThan(1);
    for (const m of msgs) {
      expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
      expect(messageBlockErrors(m.blocks)).toEqual([]);
      for (const b of m.blocks) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    }
    const text = JSON.stringify(msgs);
    expect(text.match(/Suggested: revoke — no sign-in for 400 days/g)).toHaveLength(300);
    expect(text.match(/Granted outside a request/g)).toHaveLength(300);
    expect(text.match(new RegExp(OWNERLESS_TITLE, 'g'))).toHaveLength(1);
    // The title comes after the last person's items and before the first account's.
    expect(text.indexOf(OWNERLESS_TITLE)).toBeGreaterThan(text.lastIndexOf('App-199 '));
    expect(text.indexOf(OWNERLESS_TITLE)).toBeLessThan(text.indexOf('App-200 '));
    for (let n = 0; n < 300; n += 1) expect(text.match(new RegExp(`App-${n} x`, 'g'))).toHaveLength(1);
  });
});
