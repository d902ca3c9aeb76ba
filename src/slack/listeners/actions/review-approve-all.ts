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
 * repeated click approves nothing more and someone else's click approves nothing at all.
 */
export function registerReviewApproveAll(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.reviewApproveAll, async ({ ack, body, action, client, respond }) => {
    await ack();
    const campaignId = action.value ?? '';
    const tell = (m: Parameters<typeof tellClicker>[1]) => tellClicker({ body, client, respond, logger: deps.logger }, m);
    try {
      const { person } = await actingPerson(deps, body.user.id, 'review.approve_all', { campaign: campaignId });
      await tell(buildBulkApproved(await approveAllRemaining(deps, { campaignId, actorPersonId: person.id })));
    } catch (err) {
      await tell(errorReply(err, deps.logger, { action: ACTION.reviewApproveAll, campaign: campaignId, user: body.user.id }));
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION.reviewApprovePerson, async ({ ack, body, action, client, respond }) => {
    await ack();
    const tell = (m: Parameters<typeof tellClicker>[1]) => tellClicker({ body, client, respond, logger: deps.logger }, m);
    const target = parsePersonValue(action.value);
    try {
      if (!target) throw new Error(`unreadable ${ACTION.reviewApprovePerson} value`);
      const { person } = await actingPerson(deps, body.user.id, 'review.approve_all', { campaign: target.campaignId, person: target.personId });
      const result = await approveAllRemaining(deps, { campaignId: target.campaignId, actorPersonId: person.id, subjectPersonId: target.personId });
      await tell(buildBulkApproved(result));
    } catch (err) {
      await tell(errorReply(err, deps.logger, { action: ACTION.reviewApprovePerson, value: action.value, user: body.user.id }));
    }
  });
}
