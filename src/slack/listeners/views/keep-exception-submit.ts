import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { decideItem } from '../../../domain/reviews/decide-item.js';
import { parseExceptionEnd } from '../../../domain/reviews/exception-terms.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { isAppError } from '../../../errors.js';
import { BLOCK, CALLBACK } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildKept, parseKeepMetadata } from '../../views/keep-exception-modal.js';
import { buildAlreadyDecided } from '../../views/review-notices.js';
import { actingPerson } from '../actions/acting-person.js';
import { tellUser } from '../actions/tell-clicker.js';
import { inputOf, textOf } from './form-values.js';
import { within } from './within.js';

/** Domain error fields → the form's blocks. */
const FIELD_BLOCK: Record<string, string> = { exceptionEndsAt: BLOCK.keepEndsAt, exceptionControl: BLOCK.keepControl };

/**
 * The exception modal's submission: the decision `kept` through the same machinery as Approve
 * (one decision, idempotent, only the reviewer or their delegate, never one's own access). The
 * end date is read in the reviewer's own zone. Like Revoke, the decision gets a head start so
 * it is committed before the ack and a refusal shows in the form.
 */
export function registerKeepExceptionSubmit(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(CALLBACK.keepException, async ({ ack, body, view, client }) => {
    const meta = parseKeepMetadata(view.private_metadata);
    const control = textOf(view, BLOCK.keepControl);
    const date = inputOf(view, BLOCK.keepEndsAt)?.selected_date ?? '';
    const error = (block: string, message: string) => ack({ response_action: 'errors', errors: { [block]: message } });
    if (!meta) return void (await error(BLOCK.keepControl, 'This form is out of date: close it and choose Keep as exception again.'));
    if (!control) return void (await error(BLOCK.keepControl, 'Describe the compensating control that makes keeping this access acceptable.'));
    if (!date) return void (await error(BLOCK.keepEndsAt, 'Pick the date the exception ends.'));

    const work = actingPerson(deps, body.user.id, 'review.keep', { item: meta.itemId }).then(async ({ person }) => {
      const tz = readerZone(person.slackTz, deps.config.TZ);
      const endsAt = parseExceptionEnd(date, { tz, now: deps.clock.now() });
      const result = await decideItem(deps, { itemId: meta.itemId, decision: 'kept', exceptionControl: control, exceptionEndsAt: endsAt, actorPersonId: person.id, idempotencyKey: `slack:view:${view.id}` });
      return { person, tz, endsAt, result };
    });
    const early = await within(work);
    if (early.settled && !early.ok && isAppError(early.error)) return void (await error(FIELD_BLOCK[early.error.field ?? ''] ?? BLOCK.keepControl, early.error.message));
    if (early.settled && early.ok && early.value.result.outcome === 'already_decided') {
      return void (await error(BLOCK.keepControl, buildAlreadyDecided(early.value.result, early.value.person.id, early.value.tz).text));
    }
    await ack();

    const tell = (m: Parameters<typeof tellUser>[2]) =>
      tellUser(client, { userId: body.user.id, channelId: meta.channelId }, m).catch((err: unknown) => deps.logger.warn({ err }, 'could not answer an exception'));
    try {
      const { person, tz, endsAt, result } = await work;
      await tell(result.outcome === 'already_decided' ? buildAlreadyDecided(result, person.id, tz) : buildKept(endsAt, tz));
    } catch (err) {
      await tell(errorReply(err, deps.logger, { view: CALLBACK.keepException, item: meta.itemId, user: body.user.id }));
    }
  });
}
