import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { context, type ModalView } from './blocks.js';
import { LIMITS, truncate } from './limits.js';
import type { ReassignTarget } from './review-values.js';
import { escapeText } from './text.js';

export interface ReassignMetadata {
  target: ReassignTarget;
  channelId: string | null;
}

/** "Reassign…": pick who reviews these items instead, and say why (kept as evidence). */
export function buildReassignModal(meta: ReassignMetadata, whose: string): ModalView {
  const json = JSON.stringify(meta);
  return {
    type: 'modal',
    callback_id: CALLBACK.reassign,
    // Item ids of an orphaned account were capped to fit a button value (2000), well under 3000.
    private_metadata: json.length <= LIMITS.privateMetadata ? json : '',
    title: { type: 'plain_text', text: 'Reassign review' },
    submit: { type: 'plain_text', text: 'Reassign' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      context(`Hand the items still pending for *${escapeText(truncate(whose, 200))}* to someone who knows this access better.`),
      {
        type: 'input',
        block_id: BLOCK.reassignTo,
        label: { type: 'plain_text', text: 'Reviewer' },
        element: { type: 'users_select', action_id: ACTION.input, placeholder: { type: 'plain_text', text: 'Pick a person' } },
      },
      {
        type: 'input',
        block_id: BLOCK.reassignReason,
        label: { type: 'plain_text', text: 'Why are you handing these over?' },
        element: { type: 'plain_text_input', action_id: ACTION.input, max_length: 500 },
      },
    ],
  };
}

export function parseReassignMetadata(raw: string): ReassignMetadata | null {
  try {
    const m = JSON.parse(raw) as Partial<ReassignMetadata>;
    const t = m.target as Partial<{ campaignId: string; personId: string; itemIds: string[] }> | undefined;
    if (!t || typeof t.campaignId !== 'string') return null;
    const channelId = typeof m.channelId === 'string' ? m.channelId : null;
    if (typeof t.personId === 'string') return { target: { campaignId: t.campaignId, personId: t.personId }, channelId };
    if (Array.isArray(t.itemIds)) return { target: { campaignId: t.campaignId, itemIds: t.itemIds.map(String) }, channelId };
    return null;
  } catch {
    return null;
  }
}
