import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { loadItem } from '../../../domain/reviews/load-item.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildRevokeModal, describeRevokeTarget, type RevokeMetadata } from '../../views/revoke-modal.js';
import { tellClicker } from './tell-clicker.js';

/**
 * `Revoke` opens the reason modal. The trigger id expires 3 seconds after the click, so the
 * modal opens first, from the button's value alone; the item's facts are filled in after,
 * with a views.update that Slack ignores if the person already moved on (hash mismatch).
 * Nothing is decided here: the submission (listeners/views/revoke-submit.ts) decides.
 */
export function registerReviewRevoke(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.reviewRevoke, async ({ ack, body, action, client, respond }) => {
    await ack();
    const meta: RevokeMetadata = { itemId: action.value ?? '', channelId: body.channel?.id ?? null };
    let opened;
    try {
      opened = await client.views.open({ trigger_id: body.trigger_id, view: buildRevokeModal(meta) });
    } catch (err) {
      await tellClicker({ body, client, respond, logger: deps.logger }, errorReply(err, deps.logger, { action: ACTION.reviewRevoke, item: meta.itemId, user: body.user.id }));
      return;
    }
    try {
      const { item } = await loadItem(deps.db, meta.itemId);
      if (!opened.view?.id) return;
      await client.views.update({ view_id: opened.view.id, ...(opened.view.hash ? { hash: opened.view.hash } : {}), view: buildRevokeModal(meta, describeRevokeTarget(item.snapshot)) });
    } catch (err) {
      // Only the description is missing; the form works without it and the submission checks the item.
      deps.logger.info({ err, item: meta.itemId }, 'revoke modal left without the item description');
    }
  });
}
