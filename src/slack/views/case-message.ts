import type { CaseTask, CaseView } from '../../domain/lifecycle/get-case.js';
import { context, divider, fallback, header, section, type Block, type SlackMessage } from './blocks.js';
import { LIMITS, truncate } from './limits.js';
import { slackTime } from './review-time.js';
import { escapeText, plural } from './text.js';

/** Blocks kept for the checklist: the rest of the 50 go to the header, summary and timeline. */
const CHECKLIST_BLOCKS = 40;
const TIMELINE_ENTRIES = 6;
/** Room left under the 3000-character section limit for one more line's worth of packing slack. */
const SECTION_BUDGET = LIMITS.sectionText - 100;

const KIND = { offboard: 'Offboarding', onboard: 'Onboarding' } as Record<string, string>;

/**
 * HR's case message: one live checklist, edited in place as tasks finish (`case.refresh`).
 * Tasks are packed several to a section so an 80-task case fits the 50 blocks of one message;
 * what still needs doing comes first, so if anything is cut it is the finished work.
 */
export function buildCaseMessage(kase: CaseView, tz: string, now: Date): SlackMessage {
  const who = kase.person ? escapeText(kase.person.name || kase.person.email) : 'someone no longer in the directory';
  const title = `${KIND[kase.kind] ?? 'Case'}: ${kase.person?.name || kase.person?.email || 'unknown person'}`;
  const blocks: Block[] = [header(title), section(summary(kase, who, tz, now)), divider()];
  const ordered = [...kase.tasks].sort((a, b) => rank(a, now) - rank(b, now));
  const { sections, hidden } = pack(ordered.map((t) => taskLine(t, tz, now)));
  if (sections.length === 0) blocks.push(section('_No tasks: nothing was held that needs changing._'));
  for (const s of sections) blocks.push(section(s));
  if (hidden > 0) blocks.push(context(`…and ${plural(hidden, 'more task')} not shown here (finished ones are listed last); the CLI's \`attest ${kase.kind}\` lists every one.`));
  const recent = kase.timeline.filter((e) => e.at.getTime() <= now.getTime()).slice(-TIMELINE_ENTRIES);
  if (recent.length > 0) blocks.push(context(recent.map((e) => `${slackTime(e.at, tz)} · ${escapeText(truncate(e.detail, 150))}`).join('\n')));
  const done = kase.tasks.filter((t) => t.status === 'done').length;
  return { text: fallback(`${escapeText(title)}: ${done} of ${kase.tasks.length} tasks done`), blocks };
}

function summary(kase: CaseView, who: string, tz: string, now: Date): string {
  const done = kase.tasks.filter((t) => t.status === 'done').length;
  const overdue = kase.tasks.filter((t) => isOverdue(t, now)).length;
  const lines = [`*${who}*${kase.person ? ` (${escapeText(kase.person.email)})` : ''} · *Status:* ${escapeText(kase.status.replace('_', ' '))}`];
  if (kase.effectiveAt) lines.push(`*${kase.kind === 'onboard' ? 'Start date' : 'Effective'}:* ${slackTime(kase.effectiveAt, tz)}`);
  if (kase.dueAt && kase.kind === 'offboard') lines.push(`*Everything removed by:* ${slackTime(kase.dueAt, tz)}`);
  if (kase.reason) lines.push(`*Reason:* ${escapeText(kase.reason.replace('_', ' '))}`);
  if (kase.notes) lines.push(`*Notes:* ${escapeText(truncate(kase.notes, 500))}`);
  lines.push(`*Progress:* ${done} of ${kase.tasks.length} done${overdue > 0 ? ` · :warning: ${overdue} overdue` : ''}`);
  return lines.join('\n');
}

function isOverdue(t: CaseTask, now: Date): boolean {
  return (t.status === 'open' || t.status === 'failed') && !!t.deadline && t.deadline.getTime() < now.getTime();
}

function rank(t: CaseTask, now: Date): number {
  if (isOverdue(t, now)) return 0;
  if (t.status === 'done' || t.status === 'cancelled') return 2;
  return 1;
}

export function taskLine(t: CaseTask, tz: string, now: Date): string {
  const icon = t.status === 'done' ? ':white_check_mark:' : t.status === 'cancelled' ? ':heavy_minus_sign:' : isOverdue(t, now) ? ':warning:' : ':hourglass_flowing_sand:';
  const owner = t.ownerName ? escapeText(t.ownerName) : `${escapeText(t.ownerRole ?? 'it')} team`;
  const parts = [t.automated ? 'automated' : `manual · ${owner}`];
  if (t.status === 'done') {
    parts.push(`done${t.doneByName ? ` by ${escapeText(t.doneByName)}` : ''}${t.doneAt ? ` ${slackTime(t.doneAt, tz)}` : ''}`);
    parts.push(t.verified ? 'verified by sync' : 'not yet verified');
  } else if (t.status === 'cancelled') {
    parts.push('cancelled');
  } else {
    parts.push(t.deadline ? `${isOverdue(t, now) ? '*overdue* since' : 'due'} ${slackTime(t.deadline, tz)}` : 'no deadline');
    if (t.status === 'failed' && t.lastError) parts.push(`failed: ${escapeText(truncate(t.lastError, 120))}`);
  }
  return `${icon} ${escapeText(truncate(t.description, 200))}\n      ${parts.join(' · ')}`;
}

/** Lines into sections under the text limit, at most CHECKLIST_BLOCKS of them. */
function pack(lines: string[]): { sections: string[]; hidden: number } {
  const sections: string[] = [];
  let cur = '';
  for (const [i, line] of lines.entries()) {
    if (cur && cur.length + line.length + 1 > SECTION_BUDGET) {
      if (sections.length + 1 >= CHECKLIST_BLOCKS) return { sections: [...sections, cur], hidden: lines.length - i };
      sections.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${line}` : line;
  }
  if (cur) sections.push(cur);
  return { sections, hidden: 0 };
}
