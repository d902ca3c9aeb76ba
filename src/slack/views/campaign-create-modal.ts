import type { types } from '@slack/bolt';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import type { Block, ModalView } from './blocks.js';
import { ATTESTATION_MAX } from '../../domain/reviews/attestation.js';
import { LIMITS, truncate } from './limits.js';

export interface CampaignFormInput {
  /** Systems with live resources (the scope's choices). */
  systems: string[];
  /** YYYY-MM-DD the date picker starts at. */
  initialDue: string;
}

type Option = types.PlainTextOption;
const option = (text: string, value: string): Option => ({ text: { type: 'plain_text', text: truncate(text, LIMITS.optionText) }, value });

const RULES = [option("The person's manager", 'manager'), option('The resource owner', 'owner')];
const NON_RESPONSE = [option('Flag undecided items to compliance', 'flag'), option('Revoke undecided items', 'revoke')];
/** Value `owner`: the campaign's `secondLevel` (SECOND_LEVEL_RULES). */
const SECOND_LEVEL = option('Send approved privileged access to the resource owner', 'owner');

/** `/attest campaign`: the form for a new draft campaign; submitting it shows the launch preview. */
export function buildCampaignCreateModal(input: CampaignFormInput): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.campaignCreate,
    title: { type: 'plain_text', text: 'New access review' },
    submit: { type: 'plain_text', text: 'Preview' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      textInput(BLOCK.campaignName, 'Name', { placeholder: 'e.g. Q4 2026 access review', max: 150 }),
      {
        type: 'input',
        block_id: BLOCK.campaignDue,
        label: { type: 'plain_text', text: 'Due date' },
        element: { type: 'datepicker', action_id: ACTION.input, initial_date: input.initialDue },
        hint: { type: 'plain_text', text: 'Reviews are due at the end of that day, company time.' },
      },
      systemsInput(input.systems),
      {
        type: 'input',
        block_id: BLOCK.campaignPrivileged,
        optional: true,
        label: { type: 'plain_text', text: 'Scope' },
        element: { type: 'checkboxes', action_id: ACTION.input, options: [option('Privileged access only', 'yes')] },
      },
      textInput(BLOCK.campaignDepartments, 'Departments', { optional: true, hint: 'Comma-separated; leave empty for every department.', max: 500 }),
      radioInput(BLOCK.campaignReviewerRule, 'Who reviews', RULES),
      radioInput(BLOCK.campaignNonResponse, 'Items nobody decides by the due date', NON_RESPONSE),
      {
        type: 'input',
        block_id: BLOCK.campaignAttestation,
        optional: true,
        label: { type: 'plain_text', text: 'Sign-off statement' },
        element: { type: 'plain_text_input', action_id: ACTION.input, multiline: true, max_length: ATTESTATION_MAX },
        hint: { type: 'plain_text', text: 'What each reviewer attests to when they sign off. Leave empty for: “I reviewed each of these <n> items, and the decisions reflect current business need.”' },
      },
      {
        type: 'input',
        block_id: BLOCK.campaignSecondLevel,
        optional: true,
        label: { type: 'plain_text', text: 'Second review' },
        element: { type: 'checkboxes', action_id: ACTION.input, options: [SECOND_LEVEL] },
        hint: { type: 'plain_text', text: 'After the first reviewer approves, the owner decides again. Never the person whose access it is nor the first reviewer: the campaign owner stands in.' },
      },
    ],
  };
}

/** A static multi-select holds 100 options; past that, a typed list (checked against known systems). */
function systemsInput(systems: string[]): Block {
  if (systems.length > 0 && systems.length <= LIMITS.staticSelectOptions) {
    return {
      type: 'input',
      block_id: BLOCK.campaignSystems,
      optional: true,
      label: { type: 'plain_text', text: 'Systems' },
      element: {
        type: 'multi_static_select',
        action_id: ACTION.input,
        placeholder: { type: 'plain_text', text: 'All systems' },
        options: systems.map((s) => option(s, truncate(s, 150))),
      },
    };
  }
  return textInput(BLOCK.campaignSystems, 'Systems', { optional: true, hint: 'Comma-separated; leave empty for every system.', max: 1000 });
}

function textInput(blockId: string, label: string, o: { optional?: boolean; hint?: string; placeholder?: string; max?: number }): Block {
  return {
    type: 'input',
    block_id: blockId,
    ...(o.optional ? { optional: true } : {}),
    label: { type: 'plain_text', text: label },
    element: {
      type: 'plain_text_input',
      action_id: ACTION.input,
      ...(o.max ? { max_length: o.max } : {}),
      ...(o.placeholder ? { placeholder: { type: 'plain_text', text: o.placeholder } } : {}),
    },
    ...(o.hint ? { hint: { type: 'plain_text', text: o.hint } } : {}),
  };
}

function radioInput(blockId: string, label: string, options: Option[]): Block {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    element: { type: 'radio_buttons', action_id: ACTION.input, options, initial_option: options[0]! },
  };
}

/** The date picker's starting value: a month out, as a date where the company is (TZ). */
export function defaultDueDate(now: Date, tz: string): string {
  // en-CA formats as YYYY-MM-DD, the date picker's format.
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now.getTime() + 30 * 86_400_000));
}
