import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { approveAllRemaining } from '../../../domain/reviews/approve-all-remaining.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildBulkApproved } from '../../views/review-notices.js';
import { parsePersonValue } from '../../views/review-values.js';
import { actingPerson } from './acting-person.js';
import { tellClicker } from './tell-clicker.js';

/**
 * `Approve all remaining` (value: campaign id) and `Approve all for <name>` (value: campaign
 * and person). The domain touches only the clicker's own pending items in one update, so a
 * repeated click approves nothing more and someone else's click approves nothing at all. As
 * with one `Approve`, the approvals commit before the ack, so a process that dies after the ack
 * cannot lose them.
 */
export function registerReviewApproveAll(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.reviewApproveAll, async ({ ack, body, action, client, respond }) => {
    const campaignId = action.value ?? '';
    const tell = (m: Parameters<typeof tellClicker>[1]) => tellClicker({ body, client, respond, logger: deps.logger }, m);
    let reply: Parameters<typeof tellClicker>[1];
    try {
      const { person } = await actingPerson(deps, body.user.id, 'review.approve_all', { campaign: campaignId });
      reply = buildBulkApproved(await approveAllRemaining(deps, { campaignId, actorPersonId: person.id }));
    } catch (err) {
      reply = errorReply(err, deps.logger, { action: ACTION.reviewApproveAll, campaign: campaignId, user: body.user.id });
    }
    await ack();
    await tell(reply);
  });

  app.action<BlockAction<ButtonAction>>(ACTION.reviewApprovePerson, async ({ ack, body, action, client, respond }) => {
    const tell = (m: Parameters<typeof tellClicker>[1]) => tellClicker({ body, client, respond, logger: deps.logger }, m);
    const target = parsePersonValue(action.value);
    let reply: Parameters<typeof tellClicker>[1];
    try {
      if (!target) throw new Error(`unreadable ${ACTION.reviewApprovePerson} value`);
      const { person } = await actingPerson(deps, body.user.id, 'review.approve_all', { campaign: target.campaignId, person: target.personId });
      const result = await approveAllRemaining(deps, { campaignId: target.campaignId, actorPersonId: person.id, subjectPersonId: target.personId });
      reply = buildBulkApproved(result);
    } catch (err) {
      reply = errorReply(err, deps.logger, { action: ACTION.reviewApprovePerson, value: action.value, user: body.user.id });
    }
    await ack();
    await tell(reply);
  });
}
