import { fail, type MethodHandler } from './method-types.js';

/**
 * conversations.info as Slack answers a bot: public channels need `channels:read`, private ones
 * `groups:read` (missing_scope says which); a private channel the bot is not in does not exist
 * for it (channel_not_found), a public one it has not joined has `is_member: false`.
 */
export const conversationsInfo: MethodHandler = (body, { state }) => {
  const id = typeof body.channel === 'string' ? body.channel : '';
  if (!/^[CG]/.test(id)) return fail('channel_not_found');
  const isPrivate = id.startsWith('G');
  const needed = isPrivate ? 'groups:read' : 'channels:read';
  if (!state.scopes.includes(needed)) return fail('missing_scope', { needed, provided: state.scopes.join(',') });
  const exists = state.resolveChannel(id) !== undefined;
  const isMember = !state.outsideChannels.has(id);
  if (!exists || (isPrivate && !isMember)) return fail('channel_not_found');
  return {
    ok: true,
    channel: {
      id,
      name: id.toLowerCase(),
      is_channel: !isPrivate,
      is_group: isPrivate,
      is_im: false,
      is_mpim: false,
      is_private: isPrivate,
      is_archived: false,
      is_general: false,
      is_member: isMember,
      created: 1_700_000_000,
      creator: 'U0CREATOR',
    },
  };
};
