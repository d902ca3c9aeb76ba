import { BLOCK, CALLBACK } from '../ids.js';
import { context, type ModalView } from './blocks.js';
import { dateInput, option, selectInput, textInput, timeInput, userInput, emailInput } from './access-form-inputs.js';
import { escapeText } from './text.js';

export const OFFBOARD_REASONS = [
  option('Resignation', 'resignation'),
  option('Termination', 'termination'),
  option('End of contract', 'contract_end'),
  option('Other', 'other'),
];

export const OFFBOARD_NOTES_MAX = 1000;

/**
 * `/attest offboard`: who leaves, when access ends (now, or a date and time read in the HR
 * person's own zone, which the form names so nobody guesses), why, and notes. The leaver is
 * picked in Slack, or named by email when they have no Slack account.
 */
export function buildOffboardModal(input: { tz: string }): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.offboard,
    title: { type: 'plain_text', text: 'Start offboarding' },
    submit: { type: 'plain_text', text: 'Start' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      userInput(BLOCK.offboardUser, 'Who is leaving', { optional: true }),
      emailInput(BLOCK.offboardEmail, 'Or their email', { optional: true, hint: 'For someone without a Slack account.' }),
      dateInput(BLOCK.offboardDate, 'Access ends on', { optional: true, hint: 'Leave empty to end access now.' }),
      timeInput(BLOCK.offboardTime, 'At', { optional: true, hint: `Your time zone (${input.tz}); empty means the start of that day.` }),
      selectInput(BLOCK.offboardReason, 'Reason', OFFBOARD_REASONS),
      textInput(BLOCK.offboardNotes, 'Notes', { optional: true, multiline: true, max: OFFBOARD_NOTES_MAX, hint: 'Kept in the case and the audit evidence.' }),
      context(`Every account and grant they hold gets a removal task. Times are in ${escapeText(input.tz)}.`),
    ],
  };
}
