import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { findPersonBySlackId } from '../../../domain/people/find-person.js';
import { delegateItems } from '../../../domain/reviews/delegate-items.js';
import { AppError, isAppError } from '../../../errors.js';
import { BLOCK, CALLBACK } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { parseReassignMetadata } from '../../views/delegate-modal.js';
import { buildReassigned } from '../../views/review-notices.js';
import { actingPerson } from '../actions/acting-person.js';
import { tellUser } from '../actions/tell-clicker.js';
import { inputOf, textOf } from './form-values.js';
import { within } from './within.js';

/**
 * The reassign modal's submission: the picked Slack user must be someone in the directory who
 * may review (the domain says why not: left, no Slack, their own access). Refusals that come
 * back in time are shown on the form; the new reviewer's DM is queued by the domain.
 */
export function registerReassignSubmit(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(CALLBACK.reassign, async ({ ack, body, view, client }) => {
    const meta = parseReassignMetadata(view.private_metadata);
    const toSlack = inputOf(view, BLOCK.reassignTo)?.selected_user ?? '';
    const reason = textOf(view, BLOCK.reassignReason);
    const errors: Record<string, string> = {};
    if (!meta) errors[BLOCK.reassignTo] = 'This form is out of date: close it and click Reassign again.';
    else if (!toSlack) errors[BLOCK.reassignTo] = 'Pick who should review these items.';
    if (!reason) errors[BLOCK.reassignReason] = 'Say why you are handing these items over.';
    if (!meta || Object.keys(errors).length > 0) return void (await ack({ response_action: 'errors', errors }));

    const work = (async () => {
      const { person } = await actingPerson(deps, body.user.id, 'review.delegate', { campaign: meta.target.campaignId });
      const to = await findPersonBySlackId(deps.db, toSlack);
      if (!to) throw new AppError('INVALID_INPUT', 'That person is not in the directory, so they cannot review.', { field: 'to' });
      const which = 'personId' in meta.target ? { subjectPersonId: meta.target.personId } : { itemIds: meta.target.itemIds };
      return delegateItems(deps, { campaignId: meta.target.campaignId, actorPersonId: person.id, toPersonId: to.id, reason, ...which });
    })();
    const early = await within(work);
    if (early.settled && !early.ok && isAppError(early.error)) {
      const block = early.error.field === 'reason' ? BLOCK.reassignReason : BLOCK.reassignTo;
      return void (await ack({ response_action: 'errors', errors: { [block]: early.error.message } }));
    }
    await ack();

    const tell = (m: Parameters<typeof tellUser>[2]) =>
      tellUser(client, { userId: body.user.id, channelId: meta.channelId }, m).catch((err: unknown) => deps.logger.warn({ err }, 'could not answer a reassign'));
    try {
      await tell(buildReassigned(await work));
    } catch (err) {
      await tell(errorReply(err, deps.logger, { view: CALLBACK.reassign, user: body.user.id }));
    }
  });
}
