import * as chat from './methods-chat.js';
import { conversationsInfo } from './methods-conversations.js';
import * as directory from './methods-directory.js';
import * as views from './methods-views.js';
import type { MethodHandler } from './method-types.js';
import type { FakeSocketMode } from './socket-mode.js';

/** The Web API methods the fake answers; anything else is `unknown_method`, as on Slack. */
export function buildMethods(maxPageSize: () => number, socket?: FakeSocketMode): Record<string, MethodHandler> {
  return {
    'api.test': () => ({ ok: true }),
    ...(socket ? { 'apps.connections.open': socket.connectionsOpen } : {}),
    'auth.test': directory.authTest,
    'chat.postMessage': chat.postMessage,
    'chat.update': chat.update,
    'chat.postEphemeral': chat.postEphemeral,
    'chat.delete': chat.deleteMessage,
    'conversations.open': chat.open,
    'conversations.history': chat.history,
    'conversations.info': conversationsInfo,
    'views.publish': views.publish,
    'views.open': views.openView,
    'views.push': views.openView,
    'views.update': views.updateView,
    'users.list': directory.usersList(maxPageSize),
    'users.info': directory.usersInfo,
    'users.lookupByEmail': directory.lookupByEmail,
    'files.getUploadURLExternal': directory.getUploadUrl,
    'files.completeUploadExternal': directory.completeUpload,
  };
}
