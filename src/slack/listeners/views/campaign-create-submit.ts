import type { App, ViewSubmitAction } from '@slack/bolt';
import { NON_RESPONSE_RULES, REVIEWER_RULES, SECOND_LEVEL_RULES } from '../../../db/schema/index.js';
import type { Deps } from '../../../deps.js';
import { recordRefusal } from '../../../domain/evidence/record-refusal.js';
import { hasRole } from '../../../domain/people/person-roles.js';
import { createCampaign } from '../../../domain/reviews/create-campaign.js';
import { launchCampaign } from '../../../domain/reviews/launch-campaign.js';
import { AppError, isAppError } from '../../../errors.js';
import { identifyCaller } from '../../caller.js';
import { chatDirectoryOf } from '../../chat-directory-of.js';
import { BLOCK, CALLBACK } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildPreviewLoading, buildPreviewModal, buildPreviewProblem } from '../../views/campaign-preview-modal.js';
import { choiceOf, choicesOf, inputOf, listOf, textOf } from './form-values.js';
import { within } from './within.js';

/** Domain error fields → the form's blocks, so a refusal lands under the input it is about. */
const FIELD_BLOCK: Record<string, string> = {
  name: BLOCK.campaignName,
  dueAt: BLOCK.campaignDue,
  systems: BLOCK.campaignSystems,
  reviewerRule: BLOCK.campaignReviewerRule,
  nonResponse: BLOCK.campaignNonResponse,
  attestation: BLOCK.campaignAttestation,
  secondLevel: BLOCK.campaignSecondLevel,
};

/**
 * The create form's submission: creates the draft (errors shown in the form), then turns the
 * modal into the launch preview. The plan reads the whole directory, which can take longer
 * than Slack waits, so the modal shows "working" first and the preview replaces it.
 */
export function registerCampaignCreateSubmit(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(CALLBACK.campaignCreate, async ({ ack, body, view, client }) => {
    const name = textOf(view, BLOCK.campaignName);
    const due = inputOf(view, BLOCK.campaignDue)?.selected_date ?? '';
    if (!name) return void (await ack({ response_action: 'errors', errors: { [BLOCK.campaignName]: 'Give the campaign a name.' } }));
    if (!due) return void (await ack({ response_action: 'errors', errors: { [BLOCK.campaignDue]: 'Pick a due date.' } }));
    const systems = choicesOf(view, BLOCK.campaignSystems);
    const scope = {
      systems: systems.length > 0 ? systems : listOf(textOf(view, BLOCK.campaignSystems)),
      departments: listOf(textOf(view, BLOCK.campaignDepartments)),
      privilegedOnly: choicesOf(view, BLOCK.campaignPrivileged).length > 0,
    };
    const rule = REVIEWER_RULES.find((r) => r === choiceOf(view, BLOCK.campaignReviewerRule)) ?? 'manager';
    const nonResponse = NON_RESPONSE_RULES.find((r) => r === choiceOf(view, BLOCK.campaignNonResponse)) ?? 'flag';
    const attestation = textOf(view, BLOCK.campaignAttestation) || null;
    const secondLevel = SECOND_LEVEL_RULES.find((r) => choicesOf(view, BLOCK.campaignSecondLevel).includes(r)) ?? null;

    const work = (async () => {
      const caller = await identifyCaller(deps, body.user.id);
      if (!caller.person || !hasRole(caller.roles, 'compliance')) {
        const actor = caller.person ? `person:${caller.person.id}` : `slack:${body.user.id}`;
        await recordRefusal(deps, { actor, attempted: 'campaign.create', subject: { slackUser: body.user.id }, reason: 'requires the compliance role' });
        throw new AppError('FORBIDDEN', 'Only people with the compliance role can create a campaign.', { field: 'name' });
      }
      const actor = `person:${caller.person.id}`;
      const c = await createCampaign(deps, { name, dueAt: due, scope, reviewerRule: rule, nonResponse, secondLevel, attestation, ownerEmail: caller.person.email, actor });
      return { c, actor };
    })();
    const early = await within(work);
    if (early.settled && !early.ok && isAppError(early.error)) {
      const block = FIELD_BLOCK[early.error.field ?? ''] ?? BLOCK.campaignName;
      return void (await ack({ response_action: 'errors', errors: { [block]: early.error.message } }));
    }
    await ack({ response_action: 'update', view: buildPreviewLoading(name) });

    const show = (v: Parameters<typeof client.views.update>[0]) => client.views.update(v).catch((err: unknown) => deps.logger.warn({ err }, 'could not update the campaign modal'));
    try {
      const { c, actor } = await work;
      // As `campaign launch --dry-run`: the preview shows reviewers found in Slack by email as reachable.
      const dry = await launchCampaign(deps, { campaignId: c.id, actor, dryRun: true, chat: chatDirectoryOf(client) });
      await show({ view_id: view.id, view: buildPreviewModal({ campaignId: c.id, name: c.name, dueAt: c.dueAt, tz: deps.config.TZ, plan: dry.summary }) });
    } catch (err) {
      const message = isAppError(err) ? err.message : errorReply(err, deps.logger, { view: CALLBACK.campaignCreate, user: body.user.id }).text;
      await show({ view_id: view.id, view: buildPreviewProblem(message) });
    }
  });
}
