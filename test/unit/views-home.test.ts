import { describe, expect, it } from 'vitest';
import type { WaitingWork } from '../../src/domain/home/get-waiting-work.js';
import { buildHomeView, buildUnknownUserHomeView } from '../../src/slack/views/home.js';
import { buildStatusMessage } from '../../src/slack/views/status.js';
import { LIMITS } from '../../src/slack/views/limits.js';
import { homeViewErrors, messageBlockErrors } from '../helpers/slack-blocks.js';
import type { SetupChecklist } from '../../src/domain/home/setup-checklist.js';

const now = new Date('2026-10-01T09:00:00Z');
const due = new Date('2026-10-15T17:00:00Z');

function work(n: { campaigns?: number; tasks?: number; approvals?: number; name?: string } = {}): WaitingWork {
  const name = n.name ?? 'Quarterly review';
  return {
    reviews: Array.from({ length: n.campaigns ?? 1 }, (_, i) => ({
      campaignId: `c${i}`,
      campaignName: `${name} ${i}`,
      dueAt: due,
      pending: 7,
    })),
    tasks: {
      items: Array.from({ length: Math.min(n.tasks ?? 1, 100) }, (_, i) => ({
        id: `t${i}`,
        requestId: `r${i}`,
        description: `Remove leaver ${i} from GitHub`,
        deadline: i % 2 ? new Date('2026-09-30T00:00:00Z') : null,
      })),
      total: n.tasks ?? 1,
    },
    approvals: {
      items: Array.from({ length: Math.min(n.approvals ?? 1, 100) }, (_, i) => ({
        requestId: `a${i}`,
        kind: 'grant',
        subjectName: `Person ${i}`,
        subjectEmail: `p${i}@example.com`,
        resourceName: 'Datadog',
        reason: 'on call',
        createdAt: now,
      })),
      total: n.approvals ?? 1,
    },
  };
}

const text = (v: unknown) => JSON.stringify(v);

describe('home view', () => {
  it('is a valid Home tab with each list and its counts', () => {
    const view = buildHomeView({ name: 'Mia Manager', work: work(), now });
    expect(homeViewErrors(view)).toEqual([]);
    expect(text(view)).toContain('What is waiting for you, Mia');
    expect(text(view)).toContain('*Access reviews* (7 items to decide)');
    expect(text(view)).toContain('*Tasks for you* (1)');
    expect(text(view)).toContain('*Requests awaiting your approval* (1)');
  });

  it('shows due dates in the reader’s own time zone through Slack date tokens', () => {
    const view = buildHomeView({ name: 'Mia', work: work(), now });
    expect(text(view)).toContain(`<!date^${due.getTime() / 1000}^`);
    expect(text(view)).toContain('|2026-10-15 17:00 UTC>');
  });

  it('flags overdue tasks', () => {
    const view = buildHomeView({ name: 'Mia', work: work({ tasks: 2 }), now });
    expect(text(view)).toContain('*overdue*');
  });

  it('stays within 100 blocks with 500 waiting items and says how many more there are', () => {
    const view = buildHomeView({ name: 'Mia', work: work({ campaigns: 40, tasks: 500, approvals: 500 }), now });
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    expect(homeViewErrors(view)).toEqual([]);
    const shown = view.blocks.filter((b) => b.type === 'section').length;
    expect(shown).toBeGreaterThan(80);
    expect(text(view)).toMatch(/…and \d+ more tasks/);
    expect(text(view)).toMatch(/…and \d+ more requests/);
    // What is shown plus what the "more" line counts is everything.
    const hiddenTasks = Number(/…and (\d+) more tasks/.exec(text(view))![1]);
    const shownTasks = view.blocks.filter((b) => text(b).includes('Remove leaver')).length;
    expect(shownTasks + hiddenTasks).toBe(500);
  });

  it('cuts very long names to Slack limits without breaking escapes', () => {
    const long = `${'A&B '.repeat(2000)}`;
    const view = buildHomeView({ name: long, work: work({ name: long }), now });
    expect(homeViewErrors(view)).toEqual([]);
    for (const b of view.blocks as { type: string; text?: { text: string } }[]) {
      if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    }
    expect(text(view)).not.toMatch(/&a?m?p?…/);
  });

  it('escapes names so they cannot mention or link', () => {
    const w = work();
    w.approvals.items[0]!.subjectName = '<!channel> & <@U123>';
    const view = buildHomeView({ name: 'Mia', work: w, now });
    expect(text(view)).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt;');
    expect(text(view)).not.toContain('<!channel>');
  });

  it('says when nothing is waiting', () => {
    const view = buildHomeView({ name: 'Mia', work: work({ campaigns: 0, tasks: 0, approvals: 0 }), now });
    expect(homeViewErrors(view)).toEqual([]);
    expect(text(view)).toContain('Nothing is waiting for you');
  });

  it('greets someone not in the directory with a valid view', () => {
    const view = buildUnknownUserHomeView('U0NEW');
    expect(homeViewErrors(view)).toEqual([]);
    expect(text(view)).toContain("you're not in the directory yet");
  });
});

describe('status message', () => {
  it('fits a message (50 blocks) with 500 waiting items and has fallback text', () => {
    const msg = buildStatusMessage(work({ campaigns: 3, tasks: 500, approvals: 500 }), now);
    expect(msg.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(messageBlockErrors(msg.blocks)).toEqual([]);
    expect(msg.text).toBe('Waiting for you: 21 review items, 500 tasks, 500 approvals');
  });
});

function setup(failing: boolean): SetupChecklist {
  return {
    checkedAt: now,
    sourcesSkipped: true,
    report: {
      ok: !failing,
      checks: [
        { name: 'database', status: 'ok', detail: 'up to date', fix: null },
        failing
          ? { name: 'slack_scopes', status: 'fail', detail: 'the bot token lacks scope files:write', fix: 'reinstall the app from slack-manifest.yaml' }
          : { name: 'slack_scopes', status: 'ok', detail: 'all scopes', fix: null },
        failing
          ? { name: 'undeliverable', status: 'warn', detail: '2 messages could not be delivered: Una <una@example.com> (2)', fix: 'invite them to Slack' }
          : { name: 'undeliverable', status: 'ok', detail: 'none', fix: null },
      ],
    },
  };
}

describe('home setup checklist', () => {
  it('lists each check that does not pass with its fix, escaped, above the waiting work', () => {
    const view = buildHomeView({ name: 'Cora', work: work(), now, setup: setup(true) });
    expect(homeViewErrors(view)).toEqual([]);
    const t = text(view);
    expect(t).toContain('*Setup checklist*: 1 check failing, 1 warning');
    expect(t).toContain('_Fix:_ reinstall the app from slack-manifest.yaml');
    expect(t).toContain('Una &lt;una@example.com&gt;');
    expect(t).toContain('Passing: database.');
    expect(t).toContain('Identity sources are not read from here');
    expect(t.indexOf('Setup checklist')).toBeLessThan(t.indexOf('*Access reviews*'));
  });

  it('collapses to one line once every check passes', () => {
    const view = buildHomeView({ name: 'Cora', work: work(), now, setup: setup(false) });
    const without = buildHomeView({ name: 'Cora', work: work(), now });
    const t = text(view);
    expect(t).toContain('Setup: all 3 checks pass');
    expect(t).not.toContain('Setup checklist');
    expect(view.blocks.length).toBe(without.blocks.length + 2);
  });

  it('stays within 100 blocks with a failing checklist and 500 waiting items', () => {
    const view = buildHomeView({ name: 'Cora', work: work({ campaigns: 40, tasks: 500, approvals: 500 }), now, setup: setup(true) });
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    expect(homeViewErrors(view)).toEqual([]);
  });
});
