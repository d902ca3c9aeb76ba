import type { WaitingWork } from '../../domain/home/get-waiting-work.js';
import { BLOCK } from '../ids.js';
import { context, section, type Block } from './blocks.js';
import { shareBudget } from './limits.js';
import { escapeText, plural, slackDate } from './text.js';

/**
 * The "what is waiting for you" blocks shared by the Home tab and `/attest status`, fitted into
 * `budget` blocks: each list gets a heading and, when cut, a line saying how many more there are.
 */
export function waitingWorkBlocks(work: WaitingWork, now: Date, budget: number): Block[] {
  const groups = [
    {
      blockId: BLOCK.homeReviews,
      title: `*Access reviews* (${plural(sum(work.reviews.map((r) => r.pending)), 'item')} to decide)`,
      lines: work.reviews.map((r) => reviewLine(r, now)),
      total: work.reviews.length,
      noun: 'campaign',
    },
    {
      blockId: BLOCK.homeTasks,
      title: `*Tasks for you* (${work.tasks.total})`,
      lines: work.tasks.items.map((t) => taskLine(t, now)),
      total: work.tasks.total,
      noun: 'task',
    },
    {
      blockId: BLOCK.homeApprovals,
      title: `*Requests awaiting your approval* (${work.approvals.total})`,
      lines: work.approvals.items.map(approvalLine),
      total: work.approvals.total,
      noun: 'request',
    },
  ].filter((g) => g.total > 0);

  if (groups.length === 0) return [section('Nothing is waiting for you. :tada:')];

  // Each group always spends a heading and keeps one block in reserve for its "more" line.
  const slots = shareBudget(
    groups.map((g) => g.lines.length),
    budget - groups.length * 2,
  );
  return groups.flatMap((g, i) => {
    const shown = g.lines.slice(0, slots[i] ?? 0);
    const hidden = g.total - shown.length;
    const blocks: Block[] = [section(g.title, { blockId: g.blockId }), ...shown.map((l) => section(l))];
    if (hidden > 0) blocks.push(context(`…and ${plural(hidden, `more ${g.noun}`, `more ${g.noun}s`)}`));
    return blocks;
  });
}

function reviewLine(r: WaitingWork['reviews'][number], now: Date): string {
  return `*${escapeText(r.campaignName)}*: ${plural(r.pending, 'item')} to review, ${due(r.dueAt, now)}`;
}

function taskLine(t: WaitingWork['tasks']['items'][number], now: Date): string {
  return `${escapeText(t.description)}, ${t.deadline ? due(t.deadline, now) : 'no deadline'}`;
}

function approvalLine(a: WaitingWork['approvals']['items'][number]): string {
  const who = escapeText(a.subjectName || a.subjectEmail);
  const what = a.resourceName ? `*${escapeText(a.resourceName)}*` : `a ${escapeText(a.kind)} request`;
  const why = a.reason ? `: “${escapeText(a.reason)}”` : '';
  return `*${who}* asks for ${what}${why} (asked ${slackDate(a.createdAt, '{date_short_pretty}')})`;
}

function due(at: Date, now: Date): string {
  return at.getTime() < now.getTime() ? `:warning: *overdue* since ${slackDate(at)}` : `due ${slackDate(at)}`;
}

function sum(ns: number[]): number {
  return ns.reduce((a, b) => a + b, 0);
}
