import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { requestAccess, type AccessDuration } from '../../../domain/lifecycle/request-access.js';
import { isUuid } from '../../../domain/reviews/require-uuid.js';
import { AppError, isAppError } from '../../../errors.js';
import { ACTION, BLOCK, CALLBACK } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildNotice } from '../../views/notice.js';
import { parseDuration } from '../../views/request-modal.js';
import { actingPerson } from '../actions/acting-person.js';
import { tellUser } from '../actions/tell-clicker.js';
import { choiceOf, textOf } from './form-values.js';
import { within } from './within.js';

/**
 * The request form's submission: a pending request and a DM to each approver (the domain's
 * `request.approval` intents), and a `submitted` update to the requester. Refusals (already
 * have it, no approver, not in the directory) go back into the form when they are quick.
 */
export function registerRequestSubmit(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(CALLBACK.request, async ({ ack, body, view, client }) => {
    // The picker has its own action id (its options listener matches on it), not ACTION.input.
    const resourceId = view.state.values[BLOCK.requestResource]?.[ACTION.requestResource]?.selected_option?.value ?? '';
    const reason = textOf(view, BLOCK.requestReason);
    const duration = parseDuration(choiceOf(view, BLOCK.requestDuration));
    const errors = (block: string, message: string) => ack({ response_action: 'errors', errors: { [block]: message } });
    if (!isUuid(resourceId)) return void (await errors(BLOCK.requestResource, 'Pick what you need access to.'));
    if (!reason) return void (await errors(BLOCK.requestReason, 'Say why you need this access.'));
    if (duration === undefined) return void (await errors(BLOCK.requestDuration, 'Pick how long you need it.'));

    const work = (async () => {
      const { person } = await actingPerson(deps, body.user.id, 'request.create', { resource: resourceId });
      if (person.status !== 'active') throw new AppError('FORBIDDEN', 'Only active employees can request access.');
      return requestAccess(deps, { requesterPersonId: person.id, resourceId, reason, durationDays: duration as AccessDuration, origin: 'slack' });
    })();
    const early = await within(work);
    if (early.settled && !early.ok && isAppError(early.error)) {
      const block = early.error.field === 'reason' ? BLOCK.requestReason : early.error.field === 'durationDays' ? BLOCK.requestDuration : BLOCK.requestResource;
      return void (await errors(block, early.error.message));
    }
    if (early.settled && early.ok && !early.value.created) return void (await errors(BLOCK.requestResource, ALREADY_ASKED));
    await ack();
    if (early.settled && early.ok) return;

    const tell = (m: Parameters<typeof tellUser>[2]) =>
      tellUser(client, { userId: body.user.id, channelId: null }, m).catch((err: unknown) => deps.logger.warn({ err }, 'could not answer an access request'));
    try {
      if (!(await work).created) await tell(buildNotice(ALREADY_ASKED));
    } catch (err) {
      await tell(errorReply(err, deps.logger, { view: CALLBACK.request, user: body.user.id }));
    }
  });
}

const ALREADY_ASKED = 'You already asked for this and the request is still open; you will hear when it is decided.';
