import type { ListenerGroup } from '../types.js';
import { publishHome } from '../../publish-home.js';

/** Events API listeners. Bolt acks events itself before calling them. */
export const register: ListenerGroup = (app, deps) => {
  app.event('app_home_opened', async ({ event, client }) => {
    // The same event fires for the Messages tab, which has nothing to render.
    if (event.tab !== 'home') return;
    await publishHome(deps, client, event.user);
  });
};
