import type { ItemSnapshot } from '../../db/schema/index.js';
import { campaignCloses } from '../../domain/drift/drift-campaign.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { context, type ModalView } from './blocks.js';
import { escapeText } from './text.js';

/** What the revoke submission needs back: the item, and where to tell the reviewer the outcome. */
export interface RevokeMetadata {
  itemId: string;
  /** The DM the Revoke button sat in, for an ephemeral answer after the modal closed. */
  channelId: string | null;
}

export const REVOKE_REASON_MAX = 1000;
export const REVOKE_QUESTION = 'Why should this access be removed?';

/**
 * When the removal may happen, as the modal offers it. `choice`: now or when the campaign
 * closes. `now`: unapproved access (the standing drift campaign), which never closes, so there
 * is no close to wait for. `unknown`: the item was not read yet, so nothing is offered (the
 * submission removes now); the modal is updated once it is read.
 */
export type RevokeTiming = 'choice' | 'now' | 'unknown';

export function revokeTimingFor(campaignKind: string): RevokeTiming {
  return campaignCloses(campaignKind) ? 'choice' : 'now';
}

export const REMOVED_NOW_NOTE = 'This access is removed now: it was granted without a request, and its campaign never closes.';

/**
 * The revoke modal: one required plain-text reason, and when to remove. Opened from the click
 * (a trigger id lives 3 seconds), so it works from the item id alone; `describe` adds the
 * item's facts and `timing` what its campaign allows, when known.
 */
export function buildRevokeModal(meta: RevokeMetadata, describe?: string, timing: RevokeTiming = 'choice'): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.revokeReason,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Revoke access' },
    submit: { type: 'plain_text', text: 'Revoke' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...(describe ? [{ ...context(describe), block_id: BLOCK.revokeItem }] : []),
      {
        type: 'input',
        block_id: BLOCK.revokeReason,
        label: { type: 'plain_text', text: REVOKE_QUESTION },
        element: {
          type: 'plain_text_input',
          action_id: ACTION.input,
          multiline: true,
          max_length: REVOKE_REASON_MAX,
          placeholder: { type: 'plain_text', text: 'e.g. moved to the sales team, no longer uses it' },
        },
        hint: { type: 'plain_text', text: 'Kept as audit evidence with your decision.' },
      },
      ...timingBlocks(timing),
    ],
  };
}

function timingBlocks(timing: RevokeTiming): ModalView['blocks'] {
  if (timing === 'unknown') return [];
  if (timing === 'now') return [context(REMOVED_NOW_NOTE)];
  return [
    {
      type: 'input',
      block_id: BLOCK.revokeTiming,
      label: { type: 'plain_text', text: 'When' },
      element: {
        type: 'radio_buttons',
        action_id: ACTION.input,
        initial_option: TIMING_OPTIONS[0],
        options: TIMING_OPTIONS,
      },
    },
  ];
}

const TIMING_OPTIONS = [
  { text: { type: 'plain_text' as const, text: 'Remove now' }, value: 'now' },
  { text: { type: 'plain_text' as const, text: 'At campaign close' }, value: 'close' },
];

export function parseRevokeMetadata(raw: string): RevokeMetadata | null {
  try {
    const m = JSON.parse(raw) as Partial<RevokeMetadata>;
    return typeof m.itemId === 'string' ? { itemId: m.itemId, channelId: typeof m.channelId === 'string' ? m.channelId : null } : null;
  } catch {
    return null;
  }
}

/** The line above the reason: what is being revoked, for whom. */
export function describeRevokeTarget(s: ItemSnapshot): string {
  const via = s.via === 'direct' ? '' : ', held through a group';
  return `Revoking *${escapeText(s.resourceName)}* (${escapeText(s.system)}${via}) for *${escapeText(s.personName)}* (${escapeText(s.personEmail)}).`;
}
