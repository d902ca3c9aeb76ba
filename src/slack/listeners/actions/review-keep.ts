import type { App, BlockAction, OverflowAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { loadItem } from '../../../domain/reviews/load-item.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildKeepExceptionModal, describeKeepTarget, type KeepMetadata } from '../../views/keep-exception-modal.js';
import { tellClicker } from './tell-clicker.js';

/**
 * `Keep as exception` (the item's overflow menu) opens the exception modal, at once from the
 * menu's value (the trigger id lives 3 seconds); the item's facts are filled in after, as for
 * Revoke. Nothing is decided here: the submission (listeners/views/keep-exception-submit.ts) decides.
 */
export function registerReviewKeep(app: App, deps: Deps): void {
  app.action<BlockAction<OverflowAction>>(ACTION.reviewKeep, async ({ ack, body, action, client, respond }) => {
    await ack();
    const meta: KeepMetadata = { itemId: action.selected_option?.value ?? '', channelId: body.channel?.id ?? null };
    let opened;
    try {
      opened = await client.views.open({ trigger_id: body.trigger_id, view: buildKeepExceptionModal(meta) });
    } catch (err) {
      await tellClicker({ body, client, respond, logger: deps.logger }, errorReply(err, deps.logger, { action: ACTION.reviewKeep, item: meta.itemId, user: body.user.id }));
      return;
    }
    try {
      const { item } = await loadItem(deps.db, meta.itemId);
      if (!opened.view?.id) return;
      await client.views.update({ view_id: opened.view.id, ...(opened.view.hash ? { hash: opened.view.hash } : {}), view: buildKeepExceptionModal(meta, describeKeepTarget(item.snapshot)) });
    } catch (err) {
      // Only the description is missing; the form works without it and the submission checks the item.
      deps.logger.info({ err, item: meta.itemId }, 'exception modal left without the item description');
    }
  });
}
