import type { types } from '@slack/bolt';
import { LIMITS, nonEmpty, truncate } from './limits.js';

export type Block = types.KnownBlock;
export type HomeView = types.HomeView;
export type ModalView = types.ModalView;
export type Button = types.Button;
export type Overflow = types.Overflow;

/** A message: blocks plus the fallback `text` that notifications and screen readers use. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/*
 * Small constructors that apply Slack's limits where the text goes in. Text passed here is
 * mrkdwn that the caller has already escaped; plain_text needs no escaping.
 */

export function header(text: string, blockId?: string): Block {
  return {
    type: 'header',
    text: { type: 'plain_text', text: nonEmpty(text, LIMITS.headerText), emoji: true },
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export function section(mrkdwn: string, opts: { blockId?: string; accessory?: Button } = {}): Block {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: nonEmpty(mrkdwn, LIMITS.sectionText) },
    ...(opts.blockId ? { block_id: opts.blockId } : {}),
    ...(opts.accessory ? { accessory: opts.accessory } : {}),
  };
}

export function context(mrkdwn: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: nonEmpty(mrkdwn, LIMITS.sectionText) }] };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function actions(elements: (Button | Overflow)[], blockId?: string): Block {
  return {
    type: 'actions',
    elements: elements.slice(0, LIMITS.actionsElements),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export function button(
  text: string,
  actionId: string,
  opts: { value?: string; style?: 'primary' | 'danger' } = {},
): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: nonEmpty(text, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    ...(opts.value ? { value: truncate(opts.value, LIMITS.buttonValue) } : {}),
    ...(opts.style ? { style: opts.style } : {}),
  };
}

/** An overflow ("⋯") menu: options as [text, value] (text 75, value 150 characters). */
export function overflow(actionId: string, options: [text: string, value: string][]): Overflow {
  return {
    type: 'overflow',
    action_id: actionId,
    options: options.map(([text, value]) => ({ text: { type: 'plain_text', text: nonEmpty(text, LIMITS.optionText), emoji: true }, value: truncate(value, 150) })),
  };
}

/** Fallback `text` is parsed like mrkdwn too (mentions, links): callers escape user text first. */
export function fallback(text: string): string {
  return nonEmpty(text, LIMITS.fallbackText);
}
