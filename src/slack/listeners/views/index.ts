import type { ListenerGroup } from '../types.js';
import { registerCampaignCreateSubmit } from './campaign-create-submit.js';
import { registerKeepExceptionSubmit } from './keep-exception-submit.js';
import { registerOffboardSubmit } from './offboard-submit.js';
import { registerOnboardSubmit } from './onboard-submit.js';
import { registerReassignSubmit } from './reassign-submit.js';
import { registerRequestSubmit } from './request-submit.js';
import { registerRevokeSubmit } from './revoke-submit.js';
import { registerSignOffSubmit } from './sign-off-submit.js';
import { registerTaskNoteSubmit } from './task-note-submit.js';

/**
 * Modal submissions (view_submission). Form errors go back in the ack
 * (`response_action: 'errors'`); anything slower than Slack's 3 seconds is reported after it.
 */
export const register: ListenerGroup = (app, deps) => {
  registerRevokeSubmit(app, deps);
  registerReassignSubmit(app, deps);
  registerKeepExceptionSubmit(app, deps);
  registerSignOffSubmit(app, deps);
  registerCampaignCreateSubmit(app, deps);
  registerOffboardSubmit(app, deps);
  registerOnboardSubmit(app, deps);
  registerRequestSubmit(app, deps);
  registerTaskNoteSubmit(app, deps);
};
