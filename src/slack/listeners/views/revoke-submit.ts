import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { decideItem } from '../../../domain/reviews/decide-item.js';
import { planReviewRemovals } from '../../../domain/reviews/plan-review-removals.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { isAppError } from '../../../errors.js';
import { BLOCK, CALLBACK } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildAlreadyDecided, buildRevoked } from '../../views/review-notices.js';
import { parseRevokeMetadata } from '../../views/revoke-modal.js';
import { actingPerson } from '../actions/acting-person.js';
import { tellUser } from '../actions/tell-clicker.js';
import { choiceOf, textOf } from './form-values.js';
import { within } from './within.js';

/**
 * The revoke modal's submission. An empty reason is refused in the form. The decision gets a
 * head start so a refusal (not your item, already decided) can be shown in the form too; if it
 * is slow, the modal closes and the outcome arrives as an ephemeral. "Remove now" plans the
 * removal right after the decision (the review job picks up any that fail here).
 */
export function registerRevokeSubmit(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(CALLBACK.revokeReason, async ({ ack, body, view, client }) => {
    const meta = parseRevokeMetadata(view.private_metadata);
    const reason = textOf(view, BLOCK.revokeReason);
    const timing = choiceOf(view, BLOCK.revokeTiming) === 'close' ? 'close' : 'now';
    if (!meta) return void (await ack({ response_action: 'errors', errors: { [BLOCK.revokeReason]: 'This form is out of date: close it and click Revoke again.' } }));
    if (!reason) return void (await ack({ response_action: 'errors', errors: { [BLOCK.revokeReason]: 'Say why this access should be removed.' } }));

    const decided = actingPerson(deps, body.user.id, 'review.revoke', { item: meta.itemId }).then(async ({ person }) => ({
      person,
      result: await decideItem(deps, { itemId: meta.itemId, decision: 'revoked', reason, removalTiming: timing, actorPersonId: person.id, idempotencyKey: `slack:view:${view.id}` }),
    }));
    const early = await within(decided);
    if (early.settled && !early.ok && isAppError(early.error)) {
      return void (await ack({ response_action: 'errors', errors: { [BLOCK.revokeReason]: early.error.message } }));
    }
    if (early.settled && early.ok && early.value.result.outcome === 'already_decided') {
      const tz = readerZone(early.value.person.slackTz, deps.config.TZ);
      return void (await ack({ response_action: 'errors', errors: { [BLOCK.revokeReason]: buildAlreadyDecided(early.value.result, early.value.person.id, tz).text } }));
    }
    await ack();

    const tell = (m: Parameters<typeof tellUser>[2]) =>
      tellUser(client, { userId: body.user.id, channelId: meta.channelId }, m).catch((err: unknown) => deps.logger.warn({ err }, 'could not answer a revoke'));
    try {
      const { person, result } = await decided;
      if (result.outcome === 'already_decided') return void (await tell(buildAlreadyDecided(result, person.id, readerZone(person.slackTz, deps.config.TZ))));
      // The domain may remove now whatever was chosen (unapproved access: its campaign never closes).
      if ((result.removalTiming ?? timing) === 'close') return void (await tell(buildRevoked('close')));
      if (!result.requestId) return void (await tell(buildRevoked('pending')));
      const planned = await planReviewRemovals(deps, { requestIds: [result.requestId] });
      await tell(buildRevoked(planned.failed > 0 ? 'pending' : 'now'));
    } catch (err) {
      await tell(errorReply(err, deps.logger, { view: CALLBACK.revokeReason, item: meta.itemId, user: body.user.id }));
    }
  });
}
