import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { signOff } from '../../../domain/reviews/sign-off.js';
import { isAppError } from '../../../errors.js';
import { BLOCK, CALLBACK } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { parseSignOffMetadata } from '../../views/sign-off-modal.js';
import { actingPerson } from '../actions/acting-person.js';
import { tellUser } from '../actions/tell-clicker.js';
import { choicesOf } from './form-values.js';
import { within } from './within.js';

/**
 * The sign-off modal's submission. The sign-off gets a head start so that it is committed
 * before the ack and a refusal (items pending, campaign closed, items changed) shows in the
 * form; if it is slow, the modal closes and a failure arrives as a message. On success
 * nothing is said here: the domain queued the DM's refresh, which shows who signed and when.
 */
export function registerSignOffSubmit(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(CALLBACK.signOff, async ({ ack, body, view, client }) => {
    const meta = parseSignOffMetadata(view.private_metadata);
    const error = (message: string) => ack({ response_action: 'errors', errors: { [BLOCK.signOffConfirm]: message } });
    if (!meta) return void (await error('This form is out of date: close it and click Sign off again.'));
    if (!choicesOf(view, BLOCK.signOffConfirm).includes('yes')) return void (await error('Tick the box to confirm the statement.'));

    const work = actingPerson(deps, body.user.id, 'review.sign_off', { campaign: meta.campaignId }).then(({ person }) =>
      signOff(deps, { campaignId: meta.campaignId, reviewerId: meta.reviewerId, actorPersonId: person.id, expectedDigest: meta.itemsDigest }),
    );
    const early = await within(work);
    if (early.settled && !early.ok && isAppError(early.error)) return void (await error(early.error.message));
    await ack();
    if (early.settled && early.ok) return;
    try {
      await work;
    } catch (err) {
      const reply = errorReply(err, deps.logger, { view: CALLBACK.signOff, campaign: meta.campaignId, user: body.user.id });
      await tellUser(client, { userId: body.user.id, channelId: meta.channelId }, reply).catch((e: unknown) => deps.logger.warn({ err: e }, 'could not answer a sign-off'));
    }
  });
}
