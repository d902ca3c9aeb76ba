import type { ListenerGroup } from './types.js';
import { register as actions } from './actions/index.js';
import { register as commands } from './commands/index.js';
import { register as events } from './events/index.js';
import { register as views } from './views/index.js';

/**
 * Every listener group the app registers, by surface. A feature adds its own group here
 * (e.g. `reviews` with Approve/Revoke actions and the revoke-reason modal under `views/`).
 */
export const LISTENER_GROUPS: ListenerGroup[] = [commands, events, actions, views];
