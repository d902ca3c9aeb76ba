import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { startOffboarding } from '../../../domain/lifecycle/start-offboarding.js';
import { findPersonBySlackId } from '../../../domain/people/find-person.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { parseZonedTime } from '../../../domain/time/parse-zoned-time.js';
import { AppError, isAppError } from '../../../errors.js';
import { BLOCK, CALLBACK } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildNotice } from '../../views/notice.js';
import { OFFBOARD_REASONS } from '../../views/offboard-modal.js';
import { actingPerson } from '../actions/acting-person.js';
import { tellUser } from '../actions/tell-clicker.js';
import { choiceOf, inputOf, textOf } from './form-values.js';
import { within } from './within.js';

/**
 * The offboarding form's submission. Form mistakes are answered in the form; the case is
 * opened by the domain (which refuses anyone without the hr role and records the attempt).
 * When that settles within Slack's 3 seconds its refusal lands under the field it is about;
 * otherwise the modal closes and a failure arrives by DM. On success HR gets the case
 * message through the `case.status` intent, nothing is said here.
 */
export function registerOffboardSubmit(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(CALLBACK.offboard, async ({ ack, body, view, client }) => {
    const slackUser = inputOf(view, BLOCK.offboardUser)?.selected_user ?? null;
    const email = textOf(view, BLOCK.offboardEmail);
    const date = inputOf(view, BLOCK.offboardDate)?.selected_date ?? null;
    const time = inputOf(view, BLOCK.offboardTime)?.selected_time ?? null;
    const reason = OFFBOARD_REASONS.find((o) => o.value === choiceOf(view, BLOCK.offboardReason))?.value;
    const notes = textOf(view, BLOCK.offboardNotes) || null;
    const personBlock = slackUser ? BLOCK.offboardUser : BLOCK.offboardEmail;
    const errors = (block: string, message: string) => ack({ response_action: 'errors', errors: { [block]: message } });
    if (!slackUser && !email) return void (await errors(BLOCK.offboardUser, 'Pick the person who is leaving, or give their email.'));
    if (slackUser && email) return void (await errors(BLOCK.offboardEmail, 'Give either a Slack user or an email, not both.'));
    if (time && !date) return void (await errors(BLOCK.offboardDate, 'Pick the date that time is on.'));
    if (!reason) return void (await errors(BLOCK.offboardReason, 'Pick a reason.'));

    const work = (async () => {
      const { person: hr } = await actingPerson(deps, body.user.id, 'offboarding.start', { slackUser: body.user.id });
      const tz = readerZone(hr.slackTz, deps.config.TZ);
      // A date and time are wall-clock time where the HR person is, as the form says.
      const effectiveAt = date ? (parseZonedTime(`${date}T${time ?? '00:00'}`, tz, 'start') ?? undefined) : undefined;
      if (date && !effectiveAt) throw new AppError('INVALID_INPUT', 'That is not a date.', { field: 'date' });
      let subject = email;
      if (slackUser) {
        const p = await findPersonBySlackId(deps.db, slackUser);
        if (!p) throw new AppError('NOT_FOUND', 'That Slack user is not in the directory; give their email instead.', { field: 'person' });
        subject = p.id;
      }
      const actor = `person:${hr.id}`;
      return startOffboarding(deps, deps.connectors, { person: subject, effectiveAt, reasonCategory: reason, notes, actor, actorPersonId: hr.id, origin: 'slack' });
    })();
    const early = await within(work);
    if (early.settled && !early.ok && isAppError(early.error)) {
      return void (await errors(early.error.field === 'date' ? BLOCK.offboardDate : personBlock, early.error.message));
    }
    if (early.settled && early.ok && !early.value.created) return void (await errors(personBlock, OPEN_CASE));
    await ack();
    if (early.settled && early.ok) return;

    // The modal has closed: the outcome goes to the HR person's DM.
    const tell = (m: Parameters<typeof tellUser>[2]) =>
      tellUser(client, { userId: body.user.id, channelId: null }, m).catch((err: unknown) => deps.logger.warn({ err }, 'could not answer an offboarding'));
    try {
      const result = await work;
      if (!result.created) await tell(buildNotice(OPEN_CASE));
    } catch (err) {
      await tell(errorReply(err, deps.logger, { view: CALLBACK.offboard, user: body.user.id }));
    }
  });
}

const OPEN_CASE = 'An offboarding case is already open for this person; its message is in your DMs.';
