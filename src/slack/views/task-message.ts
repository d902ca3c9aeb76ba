import type { TaskCard } from '../../domain/home/get-task-card.js';
import { ACTION } from '../ids.js';
import { actions, button, context, fallback, section, type Block, type SlackMessage } from './blocks.js';
import { truncate } from './limits.js';
import { slackTime } from './review-time.js';
import { escapeText } from './text.js';

const KIND: Record<string, string> = { revoke: 'a revocation', grant: 'an access request', offboard: 'an offboarding', onboard: 'an onboarding' };

/** The owner's task DM: what to do, by when, why; `Mark done` while it is open. */
export function buildTaskMessage(card: TaskCard, tz: string, now: Date): SlackMessage {
  const blocks: Block[] = [section(`:clipboard: *Task for you*\n${escapeText(card.description)}`), section(details(card, tz, now))];
  const openToPerson = (card.status === 'open' || card.status === 'failed') && !card.automated;
  if (card.status === 'done') blocks.push(section(doneLine(card, tz)));
  else if (card.status === 'cancelled') blocks.push(section(':heavy_minus_sign: *Cancelled*: nothing to do any more.'));
  else if (openToPerson) blocks.push(actions([button('Mark done', ACTION.taskDone, { value: card.id, style: 'primary' })]));
  else blocks.push(context('Attest is carrying this out automatically; you will hear if it needs you.'));
  const prefix = card.status === 'done' ? 'Done' : 'Task for you';
  return { text: fallback(`${prefix}: ${escapeText(card.description)}`), blocks };
}

/** Told to a manager or HR when a task passed its deadline: who owns it and since when. */
export function buildTaskOverdueMessage(card: TaskCard, tz: string, now: Date): SlackMessage {
  const owner = card.owner ? escapeText(card.owner.name || card.owner.email) : `the ${escapeText(card.ownerRole ?? 'it')} team`;
  const blocks: Block[] = [
    section(`:warning: *Overdue task* owned by ${owner}\n${escapeText(card.description)}`),
    section(details(card, tz, now)),
  ];
  if (card.status === 'done') blocks.push(section(doneLine(card, tz)));
  return { text: fallback(`Overdue task: ${escapeText(card.description)}`), blocks };
}

function details(card: TaskCard, tz: string, now: Date): string {
  const lines: string[] = [];
  if (card.deadline) {
    const late = card.deadline.getTime() < now.getTime() && card.status !== 'done';
    lines.push(`${late ? ':warning: *Overdue* since' : '*Deadline:*'} ${slackTime(card.deadline, tz)}`);
  } else {
    lines.push('*Deadline:* none');
  }
  if (card.notBefore && card.notBefore.getTime() > now.getTime()) lines.push(`*Not before:* ${slackTime(card.notBefore, tz)}`);
  const why = KIND[card.request.kind] ?? `a ${escapeText(card.request.kind)} request`;
  const about = card.request.subject ? ` for ${escapeText(card.request.subject)}` : '';
  const reason = card.request.reason ? `: “${escapeText(truncate(card.request.reason, 300))}”` : '';
  lines.push(`*Why:* part of ${why}${about}${reason}`);
  return lines.join('\n');
}

function doneLine(card: TaskCard, tz: string): string {
  const by = card.doneBy ? ` by ${escapeText(card.doneBy)}` : '';
  const when = card.doneAt ? ` · ${slackTime(card.doneAt, tz)}` : '';
  const note = card.note ? `\n_${escapeText(truncate(card.note, 300))}_` : '';
  return `:white_check_mark: *Done*${by}${when}${note}`;
}
