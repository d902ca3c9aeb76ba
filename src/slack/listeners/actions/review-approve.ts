import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { decideItem } from '../../../domain/reviews/decide-item.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildAlreadyDecided } from '../../views/review-notices.js';
import { actingPerson } from './acting-person.js';
import { tellClicker } from './tell-clicker.js';

/**
 * `Approve` on one item. The decision is recorded once whatever Slack does: a retry of this
 * request carries the same trigger id, which the domain takes as the idempotency key and
 * answers as the original success; a second click is a different request and is told who
 * decided first. The decision commits before the ack. On success nothing is said here: the domain queued the DM's refresh, which
 * replaces the buttons with who approved and when.
 */
export function registerReviewApprove(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.reviewApprove, async ({ ack, body, action, client, respond }) => {
    const itemId = action.value ?? '';
    const tell = (m: Parameters<typeof tellClicker>[1]) => tellClicker({ body, client, respond, logger: deps.logger }, m);
    // The decision is committed before the ack: a 200 tells Slack not to redeliver, so a process
    // that died between an early ack and the commit would lose the click. One short transaction
    // fits Slack's 3 s easily; if it does not, Slack's retry carries the same trigger id.
    let reply: Parameters<typeof tellClicker>[1] | undefined;
    try {
      const { person } = await actingPerson(deps, body.user.id, 'review.approve', { item: itemId });
      const result = await decideItem(deps, { itemId, decision: 'approved', actorPersonId: person.id, idempotencyKey: `slack:${body.trigger_id}` });
      if (result.outcome === 'already_decided') reply = buildAlreadyDecided(result, person.id, readerZone(person.slackTz, deps.config.TZ));
    } catch (err) {
      reply = errorReply(err, deps.logger, { action: ACTION.reviewApprove, item: itemId, user: body.user.id });
    }
    await ack();
    if (reply) await tell(reply);
  });
}
