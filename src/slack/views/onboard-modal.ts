import { BLOCK, CALLBACK } from '../ids.js';
import { context, type ModalView } from './blocks.js';
import { dateInput, emailInput, textInput, userInput } from './access-form-inputs.js';
import { escapeText } from './text.js';

/**
 * `/attest onboard`: the joiner's work email and name, their manager (picked in Slack), and
 * where they sit; the start date is read as the start of that day in the HR person's zone.
 */
export function buildOnboardModal(input: { tz: string; initialStart: string }): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.onboard,
    title: { type: 'plain_text', text: 'Start onboarding' },
    submit: { type: 'plain_text', text: 'Start' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      emailInput(BLOCK.onboardEmail, 'Work email'),
      textInput(BLOCK.onboardName, 'Name', { max: 200 }),
      userInput(BLOCK.onboardManager, 'Manager', { optional: true }),
      textInput(BLOCK.onboardDepartment, 'Department', { optional: true, max: 200 }),
      textInput(BLOCK.onboardTitle, 'Title', { optional: true, max: 200 }),
      dateInput(BLOCK.onboardStart, 'Start date', { initial: input.initialStart }),
      context(`Access from the matching templates is set up for the start of that day (${escapeText(input.tz)}); their manager is told what they will have.`),
    ],
  };
}
