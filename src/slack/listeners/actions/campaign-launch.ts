import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { recordRefusal } from '../../../domain/evidence/record-refusal.js';
import { hasRole } from '../../../domain/people/person-roles.js';
import { launchCampaign } from '../../../domain/reviews/launch-campaign.js';
import { AppError, isAppError } from '../../../errors.js';
import { identifyCaller } from '../../caller.js';
import { chatDirectoryOf } from '../../chat-directory-of.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import type { ModalView } from '../../views/blocks.js';
import { buildLaunchedModal, buildLaunching, buildPreviewProblem } from '../../views/campaign-preview-modal.js';

/**
 * `Launch` in the preview modal. Only compliance may launch (the button is only ever shown to
 * them, but a click is a request like any other and is checked again). The modal first turns
 * into "working" so a second click has no button to hit; launching itself is idempotent in the
 * domain (a second launch is a CONFLICT).
 */
export function registerCampaignLaunch(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.campaignLaunch, async ({ ack, body, action, client }) => {
    await ack();
    const campaignId = action.value ?? '';
    const viewId = body.view?.id;
    const show = async (view: ModalView) => {
      if (viewId) await client.views.update({ view_id: viewId, view }).catch((err: unknown) => deps.logger.warn({ err }, 'could not update the campaign modal'));
    };
    try {
      const caller = await identifyCaller(deps, body.user.id);
      if (!caller.person || !hasRole(caller.roles, 'compliance')) {
        await recordRefusal(deps, {
          actor: caller.person ? `person:${caller.person.id}` : `slack:${body.user.id}`,
          attempted: 'campaign.launch',
          subject: { campaign: campaignId },
          reason: 'requires the compliance role',
        });
        throw new AppError('FORBIDDEN', 'Only people with the compliance role can launch a campaign.');
      }
      await show(buildLaunching());
      // Reviewers who joined Slack since the last users.list mapping are looked up by email first.
      const r = await launchCampaign(deps, { campaignId, actor: `person:${caller.person.id}`, chat: chatDirectoryOf(client) });
      await show(buildLaunchedModal(r.campaign.name, r.summary.items, r.summary.reviewers));
    } catch (err) {
      const message = isAppError(err) ? err.message : errorReply(err, deps.logger, { action: ACTION.campaignLaunch, campaign: campaignId }).text;
      await show(buildPreviewProblem(message));
    }
  });
}
