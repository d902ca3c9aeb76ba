import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { loadItem } from '../../../domain/reviews/load-item.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildRevokeModal, describeRevokeTarget, revokeTimingFor, type RevokeMetadata } from '../../views/revoke-modal.js';
import { within } from '../views/within.js';
import { tellClicker } from './tell-clicker.js';

/** The item is one small read; past this the modal opens without it so the trigger id (3 s) is not lost. */
const OPEN_BUDGET_MS = 1500;

/**
 * `Revoke` opens the reason modal. The item is read first, briefly: its facts, and whether its
 * campaign can close at all (unapproved access never does, so "at campaign close" is not
 * offered). If the read is slow, the modal opens from the button's value alone, offering no
 * timing, and is filled in after with a views.update that Slack ignores if the person already
 * moved on (hash mismatch). Nothing is decided here: the submission
 * (listeners/views/revoke-submit.ts) decides, and checks the item again.
 */
export function registerReviewRevoke(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.reviewRevoke, async ({ ack, body, action, client, respond }) => {
    await ack();
    const meta: RevokeMetadata = { itemId: action.value ?? '', channelId: body.channel?.id ?? null };
    const target = loadItem(deps.db, meta.itemId).then(({ item, campaignKind }) => buildRevokeModal(meta, describeRevokeTarget(item.snapshot), revokeTimingFor(campaignKind)));
    const early = await within(target, OPEN_BUDGET_MS);
    let opened;
    try {
      opened = await client.views.open({ trigger_id: body.trigger_id, view: early.settled && early.ok ? early.value : buildRevokeModal(meta, undefined, 'unknown') });
    } catch (err) {
      await tellClicker({ body, client, respond, logger: deps.logger }, errorReply(err, deps.logger, { action: ACTION.reviewRevoke, item: meta.itemId, user: body.user.id }));
      return;
    }
    if (early.settled && early.ok) return;
    try {
      const view = await target;
      if (!opened.view?.id) return;
      await client.views.update({ view_id: opened.view.id, ...(opened.view.hash ? { hash: opened.view.hash } : {}), view });
    } catch (err) {
      // Only the description is missing; the form works without it and the submission checks the item.
      deps.logger.info({ err, item: meta.itemId }, 'revoke modal left without the item description');
    }
  });
}
