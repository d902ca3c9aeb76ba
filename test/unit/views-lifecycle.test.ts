import { describe, expect, it } from 'vitest';
import type { CaseTask, CaseView } from '../../src/domain/lifecycle/get-case.js';
import type { RequestCard } from '../../src/domain/lifecycle/get-request-card.js';
import { buildApprovalMessage, buildRequestUpdateMessage } from '../../src/slack/views/access-request-message.js';
import { buildCaseMessage } from '../../src/slack/views/case-message.js';
import { buildOffboardModal } from '../../src/slack/views/offboard-modal.js';
import { buildOnboardModal } from '../../src/slack/views/onboard-modal.js';
import { buildOnboardingSummary } from '../../src/slack/views/onboard-summary.js';
import { buildRequestModal, buildResourceOptions } from '../../src/slack/views/request-modal.js';
import { messageBlockErrors, modalViewErrors } from '../helpers/slack-blocks.js';

const now = new Date('2026-10-01T09:00:00Z');
const long = (n: number) => 'x'.repeat(n);

function caseWith(n: number): CaseView {
  const tasks: CaseTask[] = Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    requestId: `r${i}`,
    action: 'remove_membership',
    description: `Remove ana from group number ${i} <with> a long name ${long(150)}`,
    automated: i % 3 === 0,
    ownerId: null,
    ownerName: i % 2 ? 'Ivy <IT>' : null,
    ownerRole: 'it',
    status: i % 4 === 0 ? 'done' : 'open',
    notBefore: null,
    deadline: new Date(now.getTime() + (i % 5 === 0 ? -3600_000 : 3600_000)),
    doneBy: null,
    doneByName: i % 4 === 0 ? 'Ivy' : null,
    doneAt: i % 4 === 0 ? now : null,
    escalatedAt: null,
    lastError: null,
    verified: i % 8 === 0,
    verifiedAt: null,
  }));
  return {
    id: 'c1',
    kind: 'offboard',
    status: 'in_progress',
    person: { id: 'p1', email: 'ana@acme.test', name: 'Ana <script>' },
    reason: 'contract_end',
    notes: long(2000),
    origin: 'slack',
    requestedBy: 'person:hr',
    createdAt: now,
    effectiveAt: now,
    dueAt: now,
    doneAt: null,
    verifiedAt: null,
    tasks,
    timeline: [{ at: now, event: 'requested', detail: 'offboard requested (slack)', actor: 'person:hr' }],
  };
}

const card: RequestCard = {
  id: '00000000-0000-4000-8000-000000000001',
  status: 'pending_approval',
  reason: long(5000),
  createdAt: now,
  expiresAt: null,
  durationDays: 30,
  requester: { id: 'p1', name: 'Ana', email: 'ana@acme.test', slackTz: null },
  resource: { name: 'AWS Admins', system: 'okta', kind: 'group', privileged: true },
  approvers: [
    { person: { id: 'boss', name: 'Boss', email: 'b@acme.test', slackTz: null }, role: 'manager', decision: null, at: null, reason: null },
    { person: { id: 'olga', name: 'Olga', email: 'o@acme.test', slackTz: null }, role: 'owner', decision: 'approve', at: now, reason: null },
  ],
};

describe('lifecycle modals', () => {
  it('are valid Block Kit modals within the limits', () => {
    for (const view of [buildOffboardModal({ tz: 'Europe/Paris' }), buildOnboardModal({ tz: 'UTC', initialStart: '2026-10-05' }), buildRequestModal()]) {
      expect(modalViewErrors(view)).toEqual([]);
      expect(view.title.text.length).toBeLessThanOrEqual(24);
    }
  });

  it('answers the picker with at most 100 options of at most 75 characters', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `id${i}`, name: `Resource ${i} ${long(100)}`, system: 'okta', kind: 'group', privileged: false }));
    const { options } = buildResourceOptions(many);
    expect(options).toHaveLength(100);
    expect(Math.max(...options.map((o) => o.text.text.length))).toBeLessThanOrEqual(75);
  });
});

describe('lifecycle messages', () => {
  it('keeps an 80-task case within 50 blocks, listing what is left to do first', () => {
    const m = buildCaseMessage(caseWith(80), 'Europe/Paris', now);
    expect(messageBlockErrors(m.blocks)).toEqual([]);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain(':warning:');
    expect(text).toContain(':white_check_mark:');
    // mrkdwn is escaped (the header is plain_text, which Slack never parses).
    expect(text).toContain('*Ana &lt;script&gt;*');
    expect(text.indexOf(':warning:')).toBeLessThan(text.indexOf(':white_check_mark: Remove'));
  });

  it('still fits with 400 tasks, saying how many are not shown', () => {
    const m = buildCaseMessage(caseWith(400), 'UTC', now);
    expect(messageBlockErrors(m.blocks)).toEqual([]);
    expect(JSON.stringify(m.blocks)).toMatch(/and \d+ more tasks? not shown/);
  });

  it('shows Approve and Deny only while this approver has not decided', () => {
    const ask = buildApprovalMessage(card, 'boss', 'UTC');
    expect(messageBlockErrors(ask.blocks)).toEqual([]);
    expect(JSON.stringify(ask.blocks)).toContain('Privileged');
    expect(JSON.stringify(ask.blocks)).toContain('"text":"Approve"');
    const done = buildApprovalMessage(card, 'olga', 'UTC');
    expect(JSON.stringify(done.blocks)).not.toContain('"text":"Approve"');
    expect(JSON.stringify(done.blocks)).toContain('Approved by Olga');
  });

  it('tells the requester each event in valid blocks', () => {
    for (const e of ['submitted', 'approval_recorded', 'approved', 'denied', 'done', 'expired'] as const) {
      expect(messageBlockErrors(buildRequestUpdateMessage(card, e, 'UTC').blocks)).toEqual([]);
    }
  });

  it('gives the manager a day-one summary within limits', () => {
    const m = buildOnboardingSummary({ ...caseWith(60), kind: 'onboard' }, 'UTC');
    expect(messageBlockErrors(m.blocks)).toEqual([]);
    expect(JSON.stringify(m.blocks)).toContain('/attest request');
  });
});
