import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { section, type ModalView } from './blocks.js';
import { escapeText, plural } from './text.js';

/** What the sign-off submission needs back. */
export interface SignOffMetadata {
  campaignId: string;
  reviewerId: string;
  /** The digest of the items the modal showed: the submission must still match it. */
  itemsDigest: string | null;
  /** The DM the button sat in, for an answer after the modal closed. */
  channelId: string | null;
}

export interface SignOffShown {
  campaignName: string;
  statement: string;
  itemCount: number;
  /** The reviewer's earlier sign-off, when this one signs again over items that reached them after it. */
  previous?: { itemCount: number } | null;
}

export const SIGN_OFF_CONFIRM = 'I confirm this statement';

/**
 * The attestation: the statement exactly as it will be recorded, and a required confirm box
 * (so the confirm is a deliberate act, and a refusal has a place to show in the form).
 */
export function buildSignOffModal(meta: SignOffMetadata, shown: SignOffShown): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.signOff,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Sign off your review' },
    submit: { type: 'plain_text', text: 'Sign off' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${escapeText(shown.campaignName)}* · ${plural(shown.itemCount, 'item')} decided${shown.previous ? ` (your earlier sign-off covers ${shown.previous.itemCount}; this one covers all ${shown.itemCount})` : ''}`),
      // Plain text: shown exactly as recorded, with no mrkdwn or escaping in between (1000 characters fit).
      { type: 'section', block_id: BLOCK.signOffStatement, text: { type: 'plain_text', text: shown.statement, emoji: false } },
      {
        type: 'input',
        block_id: BLOCK.signOffConfirm,
        label: { type: 'plain_text', text: 'Attestation' },
        element: { type: 'checkboxes', action_id: ACTION.input, options: [{ text: { type: 'plain_text', text: SIGN_OFF_CONFIRM }, value: 'yes' }] },
        hint: { type: 'plain_text', text: 'Recorded as audit evidence with your name, the time and a fingerprint of your decisions.' },
      },
    ],
  };
}

/** Shown while the statement is read, when that takes longer than the click's trigger allows. */
export function buildSignOffLoading(): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Sign off your review' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [section(':hourglass_flowing_sand: Reading your decisions…')],
  };
}

/** A sign-off that cannot happen (items still pending, a closed campaign): said in the modal. */
export function buildSignOffProblem(message: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Sign off your review' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(`:warning: ${escapeText(message)}`)],
  };
}

export function parseSignOffMetadata(raw: string): SignOffMetadata | null {
  try {
    const m = JSON.parse(raw) as Partial<SignOffMetadata>;
    if (typeof m.campaignId !== 'string' || typeof m.reviewerId !== 'string') return null;
    return {
      campaignId: m.campaignId,
      reviewerId: m.reviewerId,
      itemsDigest: typeof m.itemsDigest === 'string' ? m.itemsDigest : null,
      channelId: typeof m.channelId === 'string' ? m.channelId : null,
    };
  } catch {
    return null;
  }
}
