import type { RequestableResource } from '../../domain/lifecycle/find-requestable-resources.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { context, type Block, type ModalView } from './blocks.js';
import { option, selectInput, textInput, type Option } from './access-form-inputs.js';
import { LIMITS, truncate } from './limits.js';

export const DURATION_OPTIONS = [option('Permanent', 'permanent'), option('1 day', '1'), option('7 days', '7'), option('30 days', '30'), option('90 days', '90')];
export const REQUEST_REASON_MAX = 1000;

/**
 * `/attest request`: a searchable resource picker (external_select: Slack asks our options
 * listener as the person types, so thousands of resources never have to fit in one list), a
 * required reason and a duration.
 */
export function buildRequestModal(): ModalView {
  const picker: Block = {
    type: 'input',
    block_id: BLOCK.requestResource,
    label: { type: 'plain_text', text: 'What do you need access to?' },
    element: {
      type: 'external_select',
      action_id: ACTION.requestResource,
      min_query_length: 0,
      placeholder: { type: 'plain_text', text: 'Type to search apps, groups and roles' },
    },
  };
  return {
    type: 'modal',
    callback_id: CALLBACK.request,
    title: { type: 'plain_text', text: 'Request access' },
    submit: { type: 'plain_text', text: 'Request' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      picker,
      textInput(BLOCK.requestReason, 'Why do you need it?', { multiline: true, max: REQUEST_REASON_MAX, placeholder: 'e.g. joining the payments project' }),
      selectInput(BLOCK.requestDuration, 'For how long', DURATION_OPTIONS, { initial: DURATION_OPTIONS[0]! }),
      context('Your manager approves (and the owner too for privileged access). You will get a DM at each step.'),
    ],
  };
}

/** The options answer for the picker: at most 100, each text cut to Slack's 75 characters. */
export function buildResourceOptions(resources: readonly RequestableResource[]): { options: Option[] } {
  return {
    options: resources.slice(0, LIMITS.staticSelectOptions).map((r) => ({
      text: { type: 'plain_text', text: truncate(`${r.name} · ${r.system}${r.privileged ? ' · privileged' : ''}`, LIMITS.optionText) },
      value: r.id,
    })),
  };
}

/** Duration option value → the domain's days (null = permanent); undefined when not one of ours. */
export function parseDuration(value: string | null): number | null | undefined {
  if (value === null || value === 'permanent') return null;
  const days = Number(value);
  return [1, 7, 30, 90].includes(days) ? days : undefined;
}
