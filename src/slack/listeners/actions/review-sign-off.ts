import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { prepareSignOff, type SignOffPreview } from '../../../domain/reviews/sign-off.js';
import { isAppError } from '../../../errors.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildNotice } from '../../views/notice.js';
import { readerTime } from '../../views/review-time.js';
import { parsePersonValue } from '../../views/review-values.js';
import { buildSignOffLoading, buildSignOffModal, buildSignOffProblem, type SignOffMetadata } from '../../views/sign-off-modal.js';
import { within } from '../views/within.js';
import { actingPerson } from './acting-person.js';
import { tellClicker } from './tell-clicker.js';

/** The statement is one small read; past this the modal opens as "loading" so the trigger id (3 s) is not lost. */
const OPEN_BUDGET_MS = 1500;

/**
 * `Sign off` opens the attestation modal with the statement as it will be recorded. Nothing is
 * recorded here: the submission (listeners/views/sign-off-submit.ts) signs. A click that cannot
 * lead to a sign-off (not your review, items pending, campaign closed) is answered at once and
 * recorded as a refusal by the domain.
 */
export function registerReviewSignOff(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.reviewSignOff, async ({ ack, body, action, client, respond }) => {
    await ack();
    const tell = (m: Parameters<typeof tellClicker>[1]) => tellClicker({ body, client, respond, logger: deps.logger }, m);
    const target = parsePersonValue(action.value);
    if (!target) return void (await tell(buildNotice('This button is out of date: open your latest review message.')));
    const context = { action: ACTION.reviewSignOff, campaign: target.campaignId, user: body.user.id };
    const work = actingPerson(deps, body.user.id, 'review.sign_off', { campaign: target.campaignId }).then(async ({ person }) => ({
      tz: readerZone(person.slackTz, deps.config.TZ),
      preview: await prepareSignOff(deps, { campaignId: target.campaignId, reviewerId: target.personId, actorPersonId: person.id }),
    }));
    const meta = (p: SignOffPreview): SignOffMetadata => ({ campaignId: p.campaignId, reviewerId: p.reviewerId, itemsDigest: p.itemsDigest, channelId: body.channel?.id ?? null });
    const alreadySigned = (p: SignOffPreview, tz: string) => `You already signed off your review of “${p.campaignName}” on ${readerTime(p.signed!.signedAt, tz)}.`;

    const early = await within(work, OPEN_BUDGET_MS);
    if (early.settled) {
      if (!early.ok) return void (await tell(errorReply(early.error, deps.logger, context)));
      const { preview, tz } = early.value;
      if (preview.signed) return void (await tell(buildNotice(alreadySigned(preview, tz), ':information_source:')));
      await client.views.open({ trigger_id: body.trigger_id, view: buildSignOffModal(meta(preview), preview) }).catch(async (err: unknown) => tell(errorReply(err, deps.logger, context)));
      return;
    }
    let viewId: string | undefined;
    try {
      viewId = (await client.views.open({ trigger_id: body.trigger_id, view: buildSignOffLoading() })).view?.id;
    } catch (err) {
      deps.logger.warn({ err, ...context }, 'could not open the sign-off modal');
    }
    let view;
    try {
      const { preview, tz } = await work;
      view = preview.signed ? buildSignOffProblem(alreadySigned(preview, tz)) : buildSignOffModal(meta(preview), preview);
    } catch (err) {
      view = buildSignOffProblem(isAppError(err) ? err.message : errorReply(err, deps.logger, context).text);
    }
    if (viewId) await client.views.update({ view_id: viewId, view }).catch((err: unknown) => deps.logger.warn({ err, ...context }, 'could not update the sign-off modal'));
  });
}
