import type { ItemSnapshot } from '../../db/schema/index.js';
import { EXCEPTION_CONTROL_MAX, EXCEPTION_MAX_DAYS, EXCEPTION_REMINDER_DAYS } from '../../domain/reviews/exception-terms.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { context, fallback, section, type ModalView, type SlackMessage } from './blocks.js';
import { readerDay, slackDay } from './review-time.js';
import { escapeText } from './text.js';

export interface KeepMetadata {
  itemId: string;
  /** The DM the menu sat in, for an answer after the modal closed. */
  channelId: string | null;
}

/**
 * `Keep as exception`: the compensating control (required) and the end date (a date picker;
 * tomorrow at the earliest, a year at the latest). Opened at once from the click, like the
 * revoke modal; `describe` adds the item's facts when known.
 */
export function buildKeepExceptionModal(meta: KeepMetadata, describe?: string): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.keepException,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Keep as exception' },
    submit: { type: 'plain_text', text: 'Keep' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...(describe ? [{ ...context(describe), block_id: BLOCK.keepItem }] : []),
      {
        type: 'input',
        block_id: BLOCK.keepControl,
        label: { type: 'plain_text', text: 'Compensating control' },
        element: {
          type: 'plain_text_input',
          action_id: ACTION.input,
          multiline: true,
          max_length: EXCEPTION_CONTROL_MAX,
          placeholder: { type: 'plain_text', text: 'e.g. every sign-in is reviewed weekly by the security team' },
        },
        hint: { type: 'plain_text', text: 'What limits the risk while this access is kept. Kept as audit evidence with your decision.' },
      },
      {
        type: 'input',
        block_id: BLOCK.keepEndsAt,
        label: { type: 'plain_text', text: 'The exception ends on' },
        element: { type: 'datepicker', action_id: ACTION.input },
        hint: { type: 'plain_text', text: `At most ${EXCEPTION_MAX_DAYS} days from today. You are reminded ${EXCEPTION_REMINDER_DAYS} days before it ends.` },
      },
    ],
  };
}

export function parseKeepMetadata(raw: string): KeepMetadata | null {
  try {
    const m = JSON.parse(raw) as Partial<KeepMetadata>;
    return typeof m.itemId === 'string' ? { itemId: m.itemId, channelId: typeof m.channelId === 'string' ? m.channelId : null } : null;
  } catch {
    return null;
  }
}

/** The line above the inputs: what is kept, for whom. */
export function describeKeepTarget(s: ItemSnapshot): string {
  return `Keeping *${escapeText(s.resourceName)}* (${escapeText(s.system)}) for *${escapeText(s.personName)}* (${escapeText(s.personEmail)}) as an exception.`;
}

/** The answer once it is recorded. */
export function buildKept(endsAt: Date, tz: string): SlackMessage {
  const text = `Kept as an exception until ${slackDay(endsAt, tz)}. You will be reminded ${EXCEPTION_REMINDER_DAYS} days before it ends.`;
  return { text: fallback(`Kept as an exception until ${readerDay(endsAt, tz)}.`), blocks: [section(`:shield: ${text}`)] };
}
