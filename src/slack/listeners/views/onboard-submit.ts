import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { startOnboarding } from '../../../domain/lifecycle/start-onboarding.js';
import { findPersonBySlackId } from '../../../domain/people/find-person.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { parseZonedTime } from '../../../domain/time/parse-zoned-time.js';
import { AppError, isAppError } from '../../../errors.js';
import { BLOCK, CALLBACK } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildNotice } from '../../views/notice.js';
import { actingPerson } from '../actions/acting-person.js';
import { tellUser } from '../actions/tell-clicker.js';
import { inputOf, textOf } from './form-values.js';
import { within } from './within.js';

/**
 * The onboarding form's submission: the domain creates (or updates) the person, opens the
 * case and tells the manager and HR; refusals settle within Slack's 3 seconds into the form,
 * later ones by DM. The start date is the start of that day in the HR person's zone.
 */
export function registerOnboardSubmit(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(CALLBACK.onboard, async ({ ack, body, view, client }) => {
    const email = textOf(view, BLOCK.onboardEmail);
    const name = textOf(view, BLOCK.onboardName);
    const managerSlack = inputOf(view, BLOCK.onboardManager)?.selected_user ?? null;
    const start = inputOf(view, BLOCK.onboardStart)?.selected_date ?? '';
    const errors = (block: string, message: string) => ack({ response_action: 'errors', errors: { [block]: message } });
    if (!email.includes('@')) return void (await errors(BLOCK.onboardEmail, 'Give their work email.'));
    if (!name) return void (await errors(BLOCK.onboardName, 'Give their name.'));
    if (!start) return void (await errors(BLOCK.onboardStart, 'Pick their start date.'));

    const work = (async () => {
      const { person: hr } = await actingPerson(deps, body.user.id, 'onboarding.start', { slackUser: body.user.id });
      const startDate = parseZonedTime(start, readerZone(hr.slackTz, deps.config.TZ), 'start');
      if (!startDate) throw new AppError('INVALID_INPUT', 'That is not a date.', { field: 'startDate' });
      const manager = managerSlack ? await findPersonBySlackId(deps.db, managerSlack) : undefined;
      if (managerSlack && !manager) throw new AppError('NOT_FOUND', 'That Slack user is not in the directory.', { field: 'manager' });
      return startOnboarding(deps, deps.connectors, {
        email,
        name,
        managerEmail: manager?.email ?? null,
        department: textOf(view, BLOCK.onboardDepartment) || null,
        title: textOf(view, BLOCK.onboardTitle) || null,
        startDate,
        actor: `person:${hr.id}`,
        actorPersonId: hr.id,
        origin: 'slack',
      });
    })();
    const early = await within(work);
    if (early.settled && !early.ok && isAppError(early.error)) {
      return void (await errors(FIELD_BLOCK[early.error.field ?? ''] ?? BLOCK.onboardEmail, early.error.message));
    }
    if (early.settled && early.ok && !early.value.created) return void (await errors(BLOCK.onboardEmail, OPEN_CASE));
    await ack();
    if (early.settled && early.ok) return;

    const tell = (m: Parameters<typeof tellUser>[2]) =>
      tellUser(client, { userId: body.user.id, channelId: null }, m).catch((err: unknown) => deps.logger.warn({ err }, 'could not answer an onboarding'));
    try {
      if (!(await work).created) await tell(buildNotice(OPEN_CASE));
    } catch (err) {
      await tell(errorReply(err, deps.logger, { view: CALLBACK.onboard, user: body.user.id }));
    }
  });
}

const FIELD_BLOCK: Record<string, string> = { startDate: BLOCK.onboardStart, manager: BLOCK.onboardManager, email: BLOCK.onboardEmail };
const OPEN_CASE = 'An onboarding case is already open for this person; its message is in your DMs.';
