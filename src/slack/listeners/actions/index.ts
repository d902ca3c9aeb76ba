import type { ListenerGroup } from '../types.js';
import { ACTION } from '../../ids.js';
import { publishHome } from '../../publish-home.js';

/** Buttons and menus (block_actions). Each acks first, then does the work. */
export const register: ListenerGroup = (app, deps) => {
  app.action(ACTION.homeRefresh, async ({ ack, body, client }) => {
    await ack();
    await publishHome(deps, client, body.user.id);
  });
};
