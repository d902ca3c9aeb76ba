import { describe, expect, it } from 'vitest';
import type { TaskCard } from '../../src/domain/home/get-task-card.js';
import type { WaitingWork } from '../../src/domain/home/get-waiting-work.js';
import type { CampaignStatus } from '../../src/domain/reviews/get-campaign-status.js';
import type { ReviewerProgressDetail } from '../../src/domain/reviews/get-reviewer-progress.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { buildCampaignCreateModal, defaultDueDate } from '../../src/slack/views/campaign-create-modal.js';
import { buildPreviewModal } from '../../src/slack/views/campaign-preview-modal.js';
import { buildCampaignSummary } from '../../src/slack/views/campaign-summary.js';
import { buildReassignModal } from '../../src/slack/views/delegate-modal.js';
import { buildHomeView } from '../../src/slack/views/home.js';
import { buildEscalationMessage, buildReminderMessage } from '../../src/slack/views/review-reminder.js';
import { buildRevokeModal, REVOKE_QUESTION } from '../../src/slack/views/revoke-modal.js';
import { buildTaskMessage } from '../../src/slack/views/task-message.js';
import { homeViewErrors, messageBlockErrors, modalViewErrors } from '../helpers/slack-blocks.js';

const now = new Date('2026-10-01T09:00:00Z');
const due = new Date('2026-10-31T23:59:59Z');

function status(reviewers: number, fallbacks = 0): CampaignStatus {
  return {
    id: 'c1', name: 'Q4 <review>', status: 'closed', items: reviewers * 3, pending: reviewers, approved: reviewers, revoked: reviewers, reviewers,
    fallbacks: Array.from({ length: fallbacks }, (_, i) => ({ item: `i${i}`, person: `p${i}@acme.test`, resource: 'GitHub (github)', reason: 'no manager', reviewer: 'comp@acme.test' })),
    kept: 0,
    dueAt: due, launchedAt: now, closedAt: due, owner: { personId: 'o', name: 'Olivia Owner', email: 'o@acme.test' },
    byReviewer: Array.from({ length: reviewers }, (_, i) => ({ reviewerId: `r${i}`, name: `Reviewer with a rather long name number ${i}`, email: `r${i}@acme.test`, pending: 1, decided: 2 })),
  };
}

describe('review modals and messages', () => {
  it('asks for the revoke reason in a modal with one plain-text input', () => {
    const view = buildRevokeModal({ itemId: 'i1', channelId: 'D1' }, 'Revoking *GitHub*');
    expect(modalViewErrors(view)).toEqual([]);
    const inputs = view.blocks.filter((b) => b.type === 'input') as { block_id: string; element: { type: string } }[];
    expect(inputs.filter((b) => b.element.type === 'plain_text_input')).toHaveLength(1);
    expect(JSON.stringify(view)).toContain(REVOKE_QUESTION);
    expect(JSON.stringify(view)).toContain('Remove now');
    expect(JSON.stringify(view)).toContain('At campaign close');
  });

  it('picks the new reviewer with a user picker and asks why', () => {
    const view = buildReassignModal({ target: { campaignId: 'c', personId: 'p' }, channelId: null }, 'Ann <b>');
    expect(modalViewErrors(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('users_select');
    expect(JSON.stringify(view)).toContain('Ann &lt;b&gt;');
  });

  it('builds a valid campaign form, falling back to typed systems past 100', () => {
    expect(modalViewErrors(buildCampaignCreateModal({ systems: ['okta', 'github'], initialDue: '2026-10-31' }))).toEqual([]);
    const many = buildCampaignCreateModal({ systems: Array.from({ length: 150 }, (_, i) => `s${i}`), initialDue: '2026-10-31' });
    expect(modalViewErrors(many)).toEqual([]);
    expect(JSON.stringify(many)).not.toContain('multi_static_select');
    expect(defaultDueDate(now, 'UTC')).toBe('2026-10-31');
  });

  it('previews a launch with a Launch button and a capped fallback list', () => {
    const plan = { reviewers: 3, items: 12, systems: ['okta'], fallbacks: status(1, 40).fallbacks.map((f) => ({ ...f, itemKey: f.item })), excluded: { 'inactive account': 2 }, provenance: {} };
    const view = buildPreviewModal({ campaignId: 'c1', name: 'Q4', dueAt: due, tz: 'UTC', plan });
    expect(modalViewErrors(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('"text":"Launch"');
    expect(JSON.stringify(view)).toContain('…and 25 more');
    const empty = buildPreviewModal({ campaignId: 'c1', name: 'Q4', dueAt: due, tz: 'UTC', plan: { ...plan, items: 0, fallbacks: [] } });
    expect(JSON.stringify(empty)).not.toContain(ACTION.campaignLaunch);
  });

  it('gives a task DM Mark done while open, and who did it once done', () => {
    const card: TaskCard = {
      id: 't1', description: 'Remove ann from <GitHub>', status: 'open', automated: false, deadline: due, notBefore: null,
      owner: { id: 'o', name: 'Ivan', email: 'i@acme.test' }, ownerRole: null, doneAt: null, doneBy: null, note: null,
      request: { id: 'r', kind: 'revoke', reason: 'left the team', origin: 'review_item:x', subject: 'Ann' }, reader: null,
    };
    const open = buildTaskMessage(card, 'UTC', now);
    expect(messageBlockErrors(open.blocks)).toEqual([]);
    expect(JSON.stringify(open)).toContain('"text":"Mark done"');
    expect(JSON.stringify(open)).toContain('&lt;GitHub&gt;');
    const done = buildTaskMessage({ ...card, status: 'done', doneBy: 'Ivan', doneAt: now }, 'UTC', now);
    expect(JSON.stringify(done)).not.toContain('Mark done');
    expect(JSON.stringify(done)).toContain('*Done* by Ivan');
  });

  it('summarises a campaign for compliance within the limits', () => {
    const m = buildCampaignSummary(status(400, 30), 'UTC');
    expect(messageBlockErrors(m.blocks)).toEqual([]);
    expect(m.text).toContain('400 approved, 400 revoked, 400 undecided');
    expect(JSON.stringify(m)).toContain('…and 390 more reviewers');
  });

  it('reminds and escalates with counts and the due date', () => {
    const p: ReviewerProgressDetail = {
      campaign: { id: 'c', name: 'Q4', status: 'launched', dueAt: due }, reviewer: { id: 'r', name: 'Li', email: 'li@acme.test', slackUserId: 'U3', slackTz: null },
      manager: { id: 'm', name: 'Maria', email: 'm@acme.test', slackTz: null }, pending: 4, decided: 1,
    };
    const r = buildReminderMessage(p, 'UTC');
    expect(messageBlockErrors(r.blocks)).toEqual([]);
    expect(r.text).toContain('4 items to review');
    for (const audience of ['manager', 'compliance'] as const) {
      const e = buildEscalationMessage(p, audience, 'UTC');
      expect(messageBlockErrors(e.blocks)).toEqual([]);
      expect(e.text).toContain('Li has 4 undecided items');
    }
  });

  it('shows compliance the progress of open campaigns by reviewer within the Home tab limit', () => {
    const work: WaitingWork = {
      reviews: [], tasks: { items: [], total: 0 },
      approvals: { items: Array.from({ length: 100 }, (_, i) => ({ requestId: `a${i}`, kind: 'grant', subjectName: `P${i}`, subjectEmail: 'p@x', resourceName: 'X', reason: null, createdAt: now })), total: 150 },
      campaigns: { items: Array.from({ length: 10 }, () => ({ status: { ...status(500), status: 'launched' } })), total: 12 },
    };
    const view = buildHomeView({ name: 'Olivia', work, now });
    expect(homeViewErrors(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view);
    expect(text).toContain(BLOCK.homeCampaigns);
    expect(text).toContain('Reviewer with a rather long name number 0: 1 pending, 2 decided');
    expect(text).toMatch(/…and \d+ more reviewers with pending items/);
    expect(text).toContain('…and 2 more campaigns');
  });
});
