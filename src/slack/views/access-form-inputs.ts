import type { types } from '@slack/bolt';
import { ACTION } from '../ids.js';
import type { Block } from './blocks.js';
import { LIMITS, truncate } from './limits.js';

/** Input blocks shared by the lifecycle modals (offboard, onboard, request); every input's action id is ACTION.input. */

export type Option = types.PlainTextOption;

export const option = (text: string, value: string): Option => ({ text: { type: 'plain_text', text: truncate(text, LIMITS.optionText) }, value });

interface Common {
  optional?: boolean;
  hint?: string;
}

function input(blockId: string, label: string, element: Record<string, unknown>, o: Common): Block {
  return {
    type: 'input',
    block_id: blockId,
    ...(o.optional ? { optional: true } : {}),
    label: { type: 'plain_text', text: label },
    element: { action_id: ACTION.input, ...element },
    ...(o.hint ? { hint: { type: 'plain_text', text: o.hint } } : {}),
  } as Block;
}

export function textInput(blockId: string, label: string, o: Common & { placeholder?: string; max?: number; multiline?: boolean } = {}): Block {
  return input(
    blockId,
    label,
    {
      type: 'plain_text_input',
      ...(o.multiline ? { multiline: true } : {}),
      ...(o.max ? { max_length: o.max } : {}),
      ...(o.placeholder ? { placeholder: { type: 'plain_text', text: o.placeholder } } : {}),
    },
    o,
  );
}

export function emailInput(blockId: string, label: string, o: Common = {}): Block {
  return input(blockId, label, { type: 'email_text_input' }, o);
}

export function userInput(blockId: string, label: string, o: Common = {}): Block {
  return input(blockId, label, { type: 'users_select', placeholder: { type: 'plain_text', text: 'Pick a person' } }, o);
}

export function dateInput(blockId: string, label: string, o: Common & { initial?: string } = {}): Block {
  return input(blockId, label, { type: 'datepicker', ...(o.initial ? { initial_date: o.initial } : {}) }, o);
}

export function timeInput(blockId: string, label: string, o: Common & { timezone?: string } = {}): Block {
  return input(blockId, label, { type: 'timepicker', ...(o.timezone ? { timezone: o.timezone } : {}) }, o);
}

export function selectInput(blockId: string, label: string, options: Option[], o: Common & { initial?: Option } = {}): Block {
  return input(blockId, label, { type: 'static_select', options: options.slice(0, LIMITS.staticSelectOptions), ...(o.initial ? { initial_option: o.initial } : {}) }, o);
}

/** YYYY-MM-DD of `at` where `tz` is (en-CA formats that way): what a datepicker holds. */
export function localDate(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
