import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildReassignModal } from '../../views/delegate-modal.js';
import { parseReassignValue } from '../../views/review-values.js';
import { tellClicker } from './tell-clicker.js';

/** `Reassign…` opens the delegate picker at once (3-second trigger); the submission hands the items over. */
export function registerReviewReassign(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.reviewReassign, async ({ ack, body, action, client, respond }) => {
    await ack();
    const parsed = parseReassignValue(action.value);
    try {
      if (!parsed) throw new Error(`unreadable ${ACTION.reviewReassign} value`);
      await client.views.open({ trigger_id: body.trigger_id, view: buildReassignModal({ target: parsed.target, channelId: body.channel?.id ?? null }, parsed.whose) });
    } catch (err) {
      await tellClicker({ body, client, respond, logger: deps.logger }, errorReply(err, deps.logger, { action: ACTION.reviewReassign, user: body.user.id }));
    }
  });
}
