import type { ListenerGroup } from '../types.js';
import { ACTION } from '../../ids.js';
import { publishHome } from '../../publish-home.js';
import { registerCampaignLaunch } from './campaign-launch.js';
import { registerDigestEvidence } from './digest-evidence.js';
import { registerRequestDecide } from './request-decide.js';
import { registerRequestResourceOptions } from './request-resource-options.js';
import { registerReviewApprove } from './review-approve.js';
import { registerReviewApproveAll } from './review-approve-all.js';
import { registerReviewKeep } from './review-keep.js';
import { registerReviewReassign } from './review-reassign.js';
import { registerReviewRevoke } from './review-revoke.js';
import { registerReviewSignOff } from './review-sign-off.js';
import { registerTaskDone } from './task-done.js';

/** Buttons and menus (block_actions). Each acks first, then does the work. */
export const register: ListenerGroup = (app, deps) => {
  app.action(ACTION.homeRefresh, async ({ ack, body, client }) => {
    await ack();
    await publishHome(deps, client, body.user.id);
  });
  registerReviewApprove(app, deps);
  registerReviewApproveAll(app, deps);
  registerReviewRevoke(app, deps);
  registerReviewReassign(app, deps);
  registerReviewKeep(app, deps);
  registerReviewSignOff(app, deps);
  registerTaskDone(app, deps);
  registerCampaignLaunch(app, deps);
  registerRequestDecide(app, deps);
  registerDigestEvidence(app, deps);
  // Not a block action, but it serves a menu in the request modal: kept beside its buttons.
  registerRequestResourceOptions(app, deps);
};
