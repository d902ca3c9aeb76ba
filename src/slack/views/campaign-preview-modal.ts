import type { PlanSummary } from '../../domain/reviews/types.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { actions, button, context, section, type Block, type ModalView } from './blocks.js';
import { capList } from './limits.js';
import { slackTime } from './review-time.js';
import { escapeText, plural } from './text.js';

/** Fallback lines shown; the 100-block view could take more, but a modal is read, not scrolled. */
const LISTED = 15;

export interface PreviewInput {
  campaignId: string;
  name: string;
  dueAt: Date;
  tz: string;
  plan: PlanSummary;
}

function modal(blocks: Block[], title = 'Launch preview'): ModalView {
  return { type: 'modal', callback_id: CALLBACK.campaignPreview, title: { type: 'plain_text', text: title }, close: { type: 'plain_text', text: 'Close' }, blocks };
}

/** Shown the moment the form is accepted, while the plan is computed (a large directory takes a while). */
export function buildPreviewLoading(name: string): ModalView {
  return modal([section(`:hourglass_flowing_sand: Working out who would review what in *${escapeText(name)}*…`)]);
}

/** Who would review what: reviewers, items, systems, stand-ins, exclusions; and `Launch`. */
export function buildPreviewModal(p: PreviewInput): ModalView {
  const { plan } = p;
  const blocks: Block[] = [
    section(
      `*${escapeText(p.name)}* (draft), due ${slackTime(p.dueAt, p.tz)}\n` +
        `*${plural(plan.items, 'item')}* for *${plural(plan.reviewers, 'reviewer')}* across ${plan.systems.length > 0 ? plan.systems.map(escapeText).join(', ') : 'no systems'}.`,
    ),
  ];
  if (plan.fallbacks.length > 0) {
    const { shown, hidden } = capList(plan.fallbacks, LISTED);
    const lines = shown.map((f) => `• ${escapeText(f.person)}, ${escapeText(f.resource)} → ${escapeText(f.reviewer)}: ${escapeText(f.reason)}`);
    if (hidden > 0) lines.push(`…and ${plural(hidden, 'more')}`);
    blocks.push(section(`*${plural(plan.fallbacks.length, 'item')} go to a stand-in reviewer*\n${lines.join('\n')}`));
  }
  const excluded = Object.entries(plan.excluded).filter(([, n]) => n > 0);
  if (excluded.length > 0) blocks.push(context(`Left out: ${excluded.map(([why, n]) => `${n} ${escapeText(why)}`).join(', ')}`));
  if (plan.items > 0) {
    blocks.push(actions([button('Launch', ACTION.campaignLaunch, { value: p.campaignId, style: 'primary' })], BLOCK.campaignLaunch));
    blocks.push(context('Launching freezes these items and sends each reviewer one DM. Nothing is sent before.'));
  } else {
    blocks.push(section(':information_source: Nothing is in scope, so there is nothing to launch. Widen the scope and try again.'));
  }
  return modal(blocks);
}

/** Between the Launch click and its outcome: no button left to click twice. */
export function buildLaunching(): ModalView {
  return modal([section(':hourglass_flowing_sand: Launching: freezing the items and queuing one DM per reviewer…')], 'Launching');
}

export function buildLaunchedModal(name: string, items: number, reviewers: number): ModalView {
  return modal([section(`:rocket: *${escapeText(name)}* is launched: ${plural(items, 'item')} for ${plural(reviewers, 'reviewer')}. Their DMs are on their way.`)], 'Launched');
}

/** Something went wrong after the form closed: say what, in the modal the person is looking at. */
export function buildPreviewProblem(message: string): ModalView {
  return modal([section(`:warning: ${escapeText(message)}`)], 'Access review');
}
