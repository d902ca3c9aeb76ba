import { describe, expect, it } from 'vitest';
import type { ReviewerItem, ReviewerPersonGroup } from '../../src/domain/reviews/find-reviewer-items.js';
import type { ReviewRequest } from '../../src/domain/reviews/get-review-request.js';
import { ACTION } from '../../src/slack/ids.js';
import { buildReviewMessages } from '../../src/slack/views/review-request.js';
import { parsePersonValue, parseReassignValue } from '../../src/slack/views/review-values.js';
import { messageBlockErrors } from '../helpers/slack-blocks.js';

const now = new Date('2026-10-01T09:00:00Z');
const due = new Date('2026-12-31T22:59:59.999Z');
const CAMPAIGN = '11111111-1111-4111-8111-111111111111';
let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

function item(n: number, o: Partial<ReviewerItem> & { privileged?: boolean; lastLoginAt?: string | null; via?: string } = {}): ReviewerItem {
  return {
    itemId: uuid(),
    snapshot: {
      personId: null, personName: '', personEmail: 'x@acme.test', department: null, managerEmail: null, system: 'okta', source: 'okta',
      accountLogin: 'x@acme.test', accountStatus: 'active', resourceId: uuid(), resourceName: `App-${n}`, resourceKind: 'app',
      via: o.via ?? 'direct', privileged: o.privileged ?? false, lastLoginAt: o.lastLoginAt === undefined ? '2026-09-20T08:00:00.000Z' : o.lastLoginAt,
    },
    decision: 'pending', decidedAt: null, decidedBy: null, reason: null, removalTiming: null, requestId: null, fallbackReason: null,
    delegatedFrom: null, delegationReason: null, hints: null, ...o,
  };
}

function group(name: string, items: ReviewerItem[], personId: string | null = uuid()): ReviewerPersonGroup {
  return { personId, personName: name, personEmail: `${name.split(' ')[0]!.toLowerCase()}@acme.test`, department: 'Eng', orphaned: !personId, pending: items.filter((i) => i.decision === 'pending').length, items };
}

function request(groups: ReviewerPersonGroup[], status = 'launched'): ReviewRequest {
  return {
    campaign: { id: CAMPAIGN, name: 'Q4 <!channel> review', status, dueAt: due, closedAt: null },
    reviewer: { id: uuid(), name: 'Maria Manager', email: 'maria@acme.test', slackUserId: 'U2', slackTz: 'Europe/Berlin' },
    groups,
    groupNames: { 'okta|group:00g1': 'Engineering' },
  };
}

const render = (r: ReviewRequest, tz = 'Europe/Berlin') => buildReviewMessages({ request: r, tz, now, staleLoginDays: 90 });
type Btn = { type: 'button'; text: { text: string }; action_id: string; value?: string };
function buttons(messages: { blocks: unknown[] }[]): Btn[] {
  const out: Btn[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if ((v as { type?: unknown }).type === 'button') out.push(v as Btn);
      Object.values(v).forEach(walk);
    }
  };
  walk(messages.map((m) => m.blocks));
  return out;
}

describe('review DM', () => {
  it('has exactly Approve and Revoke per item, one Approve all for <name> per person and one Approve all remaining', () => {
    const msgs = render(request([group('Ann Analyst', [item(1), item(2)]), group('Li Lead', [item(3)])]));
    expect(msgs).toHaveLength(1);
    expect(messageBlockErrors(msgs[0]!.blocks)).toEqual([]);
    const texts = buttons(msgs).map((b) => b.text.text);
    expect(texts.filter((t) => t === 'Approve')).toHaveLength(3);
    expect(texts.filter((t) => t === 'Revoke')).toHaveLength(3);
    expect(texts.filter((t) => t === 'Approve all remaining')).toHaveLength(1);
    expect(texts).toContain('Approve all for Ann Analyst');
    expect(texts).toContain('Approve all for Li Lead');
    const perPerson = buttons(msgs).find((b) => b.action_id === ACTION.reviewApprovePerson)!;
    expect(parsePersonValue(perPerson.value)).toMatchObject({ campaignId: CAMPAIGN });
    const reassign = buttons(msgs).find((b) => b.action_id === ACTION.reviewReassign)!;
    expect(parseReassignValue(reassign.value)).toMatchObject({ target: { campaignId: CAMPAIGN }, whose: 'Ann Analyst' });
  });

  it('shows system, resource, how it is held, a privileged badge and a stale last login', () => {
    const msgs = render(request([group('Ann', [item(1, { via: 'group:00g1', privileged: true, lastLoginAt: '2026-01-01T00:00:00Z' }), item(2, { lastLoginAt: null })])]));
    const text = JSON.stringify(msgs);
    expect(text).toContain('*App-1* · okta · via group *Engineering* · :rotating_light: *privileged*');
    expect(text).toContain(':hourglass: *Stale:* last login');
    expect(text).toContain('(273 days ago)');
    expect(text).toContain('No login recorded');
    expect(text).toContain('*App-2* · okta · direct');
  });

  it("gives the due date in the reviewer's time zone and escapes user text", () => {
    const [m] = render(request([group('Eve <!here>', [item(1)])]));
    expect(m!.text).toContain('Thu, 31 Dec 2026, 23:59 CET');
    expect(JSON.stringify(m)).toContain('Q4 &lt;!channel&gt; review');
    expect(JSON.stringify(m)).toContain('Eve &lt;!here&gt;');
    // plain_text (header, buttons) is never parsed for mentions; mrkdwn and the fallback are.
    const mrkdwn = JSON.stringify(m!.blocks).match(/"type":"mrkdwn","text":"(?:[^"\\]|\\.)*"/g) ?? [];
    expect(mrkdwn.length).toBeGreaterThan(0);
    for (const t of [...mrkdwn, m!.text]) expect(t).not.toMatch(/<!(channel|here)>/);
  });

  it('keeps Approve all for <name> within 75 characters for a very long name', () => {
    const name = `${'Maximilian-Alexander '.repeat(5)}😀😀`;
    const btn = buttons(render(request([group(name, [item(1)])]))).find((b) => b.action_id === ACTION.reviewApprovePerson)!;
    expect(btn.text.text.length).toBeLessThanOrEqual(75);
    expect(btn.text.text.startsWith('Approve all for Maximilian')).toBe(true);
    expect(btn.text.text.endsWith('…')).toBe(true);
  });

  it('shows what was decided, by whom and when instead of buttons, and says when everything is decided', () => {
    const decided = item(1, { decision: 'approved', decidedAt: new Date('2026-10-02T14:30:00Z'), decidedBy: { personId: 'p', name: 'Maria Manager', email: 'm@x' } });
    const revoked = item(2, { decision: 'revoked', decidedAt: new Date('2026-10-02T14:31:00Z'), decidedBy: { personId: 'p', name: 'Maria Manager', email: 'm@x' }, reason: 'left the team', removalTiming: 'now' });
    const msgs = render(request([group('Ann', [decided, revoked])]));
    const text = JSON.stringify(msgs);
    expect(text).toContain(':white_check_mark: *Approved* by Maria Manager');
    expect(text).toContain('Fri, 2 Oct 2026, 16:30 CEST');
    expect(text).toContain(':no_entry: *Revoked* by Maria Manager');
    expect(text).toContain('left the team');
    expect(text).toContain('All 2 items are decided');
    // The one thing left is the sign-off; once signed, the DM says who signed and when instead.
    expect(buttons(msgs)).toEqual([expect.objectContaining({ text: expect.objectContaining({ text: 'Sign off' }), action_id: 'review.sign_off' })]);
    const signed = render({ ...request([group('Ann', [decided, revoked])]), signoff: { signedAt: new Date('2026-10-03T08:00:00Z'), statement: 's', itemCount: 2, itemsDigest: 'd', reviewerName: 'Maria Manager' } });
    expect(buttons(signed)).toEqual([]);
    expect(JSON.stringify(signed)).toContain(':white_check_mark: *Signed off* by Maria Manager · <!date^');
  });

  it('pages a 300-item review into messages of at most 50 blocks, each item exactly once', () => {
    const groups = Array.from({ length: 23 }, (_, g) =>
      group(`Person ${g}`, Array.from({ length: g === 0 ? 80 : 10 }, (_, i) => item(g * 1000 + i, i % 7 === 0 ? { decision: 'approved', decidedAt: now, decidedBy: { personId: 'p', name: 'M', email: null } } : {}))),
    );
    const all = groups.flatMap((g) => g.items);
    expect(all).toHaveLength(300);
    const msgs = render(request(groups));
    expect(msgs.length).toBeGreaterThan(5);
    for (const [i, m] of msgs.entries()) {
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      expect(messageBlockErrors(m.blocks)).toEqual([]);
      expect(JSON.stringify(m.blocks)).toContain(`page ${i + 1} of ${msgs.length}`);
      expect(m.text.length).toBeGreaterThan(0);
    }
    const text = JSON.stringify(msgs);
    for (const it of all) expect(text.split(`*${it.snapshot.resourceName}*`).length - 1).toBe(1);
    const approves = buttons(msgs).filter((b) => b.action_id === ACTION.reviewApprove).map((b) => b.value);
    expect(new Set(approves).size).toBe(all.filter((i) => i.decision === 'pending').length);
    expect(approves).toHaveLength(new Set(approves).size);
    expect(text).toContain('*Person 0* (continued)');
    expect(buttons(msgs).filter((b) => b.text.text === 'Approve all remaining')).toHaveLength(1);
  });

  it('keeps every item on the same page as items get decided', () => {
    const groups = Array.from({ length: 6 }, (_, g) => group(`Person ${g}`, Array.from({ length: 15 }, (_, i) => item(g * 100 + i))));
    const pageOf = (msgs: { blocks: unknown[] }[]) => {
      const where = new Map<string, number>();
      msgs.forEach((m, p) => {
        for (const [, name] of JSON.stringify(m.blocks).matchAll(/\*(App-\d+)\*/g)) where.set(name!, p);
      });
      return where;
    };
    const before = pageOf(render(request(groups)));
    for (const g of groups) {
      g.items = g.items.map((it, i) => (i % 2 ? { ...it, decision: 'approved' as const, decidedAt: now, decidedBy: { personId: 'p', name: 'M', email: null } } : it));
      g.pending = g.items.filter((it) => it.decision === 'pending').length;
    }
    expect(pageOf(render(request(groups)))).toEqual(before);
    expect(before.size).toBe(90);
  });

  it('shows a closed campaign without buttons', () => {
    const msgs = render(request([group('Ann', [item(1)])], 'closed'));
    expect(buttons(msgs)).toEqual([]);
    expect(JSON.stringify(msgs)).toContain('is closed');
  });

  it('offers no per-person approval for an orphaned account (it has no person to name)', () => {
    const msgs = render(request([group('svc-backup', [item(1)], null)]));
    const ids = buttons(msgs).map((b) => b.action_id);
    expect(ids).not.toContain(ACTION.reviewApprovePerson);
    expect(ids).toContain(ACTION.reviewReassign);
    expect(JSON.stringify(msgs)).toContain('orphaned account');
  });
});
