import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../../deps.js';
import { decideAccessRequest } from '../../../domain/lifecycle/decide-access-request.js';
import { getRequestCard } from '../../../domain/lifecycle/get-request-card.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { isUuid } from '../../../domain/reviews/require-uuid.js';
import { AppError } from '../../../errors.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildAccessDecisionNotice } from '../../views/access-notices.js';
import { buildApprovalMessage } from '../../views/access-request-message.js';
import { actingPerson } from './acting-person.js';
import { tellClicker } from './tell-clicker.js';

/**
 * `Approve` / `Deny` on an access request DM. The domain records a decision once (a double
 * click or two approvers at once), refuses anyone not named as approver (a security event),
 * and tells the requester. Here: decide, ack (the decision commits first, so a process that
 * dies after the ack cannot lose it), redraw the clicked DM without its buttons, and tell the
 * clicker the outcome (or who decided first).
 */
export function registerRequestDecide(app: App, deps: Deps): void {
  for (const [actionId, decision] of [
    [ACTION.requestApprove, 'approve'],
    [ACTION.requestDeny, 'deny'],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond }) => {
      const requestId = action.value ?? '';
      const tell = (m: Parameters<typeof tellClicker>[1]) => tellClicker({ body, client, respond, logger: deps.logger }, m);
      let acked = false;
      try {
        if (!isUuid(requestId)) throw new AppError('NOT_FOUND', 'That access request no longer exists.');
        const { person } = await actingPerson(deps, body.user.id, 'request.decide', { request: requestId });
        const result = await decideAccessRequest(deps, deps.connectors, { requestId, actorPersonId: person.id, decision });
        await ack();
        acked = true;
        const card = await getRequestCard(deps.db, requestId);
        const tz = readerZone(person.slackTz, deps.config.TZ);
        await redraw(deps, client, body, buildApprovalMessage(card, person.id, tz));
        await tell(buildAccessDecisionNotice(result, card, tz));
      } catch (err) {
        if (!acked) await ack();
        await tell(errorReply(err, deps.logger, { action: actionId, request: requestId, user: body.user.id }));
      }
    });
  }
}

/** The DM the button sat in, redrawn from current data (the Home tab redraws itself). */
async function redraw(deps: Pick<Deps, 'logger'>, client: WebClient, body: BlockAction, message: { text: string; blocks: unknown[] }): Promise<void> {
  const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
  const ts = body.message?.ts ?? (body.container.message_ts as string | undefined);
  if (!channel || !ts) return;
  try {
    await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks as never });
  } catch (err) {
    // The decision is recorded; a stale button only leads to "already decided".
    deps.logger.warn({ err, channel, ts }, 'could not update the access request message');
  }
}
