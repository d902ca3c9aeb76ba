import type { ListenerGroup } from '../types.js';
import { identifyCaller } from '../../caller.js';
import { COMMAND } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { routeAttest } from './route-attest.js';

/**
 * `/attest …`: ack with an empty body at once (Slack's 3-second limit), then answer through
 * `respond()` (the command's response_url), which is ephemeral: only the caller sees it.
 */
export const register: ListenerGroup = (app, deps) => {
  app.command(COMMAND, async ({ ack, command, respond, client }) => {
    await ack();
    let reply;
    try {
      const caller = await identifyCaller(deps, command.user_id);
      reply = await routeAttest({ deps, caller, command, client }, command.text);
    } catch (err) {
      reply = errorReply(err, deps.logger, { command: COMMAND, text: command.text, user: command.user_id });
    }
    await respond({ response_type: 'ephemeral', ...reply });
  });
};
