import { messageBlockErrors } from '../../helpers/slack-blocks.js';
import { truthy, type Body } from './parse-body.js';
import type { StoredMessage } from './state.js';
import { decodeCursor, encodeCursor, fail, invalidBlocks, str, type MethodHandler, type Result } from './method-types.js';

/** chat.* and conversations.*: messages kept per channel, with metadata, as Slack keeps them. */

function checkContent(body: Body): Result | undefined {
  if (body.blocks !== undefined) {
    if (!Array.isArray(body.blocks)) return fail('invalid_blocks_format');
    const errors = messageBlockErrors(body.blocks);
    if (errors.length > 0) return invalidBlocks(errors);
  }
  if (!str(body.text) && body.blocks === undefined && body.attachments === undefined) return fail('no_text');
  if (typeof body.text === 'string' && body.text.length > 40_000) return fail('msg_too_long');
  const md = body.metadata as { event_type?: unknown; event_payload?: unknown } | undefined;
  if (md !== undefined && (typeof md !== 'object' || typeof md.event_type !== 'string' || typeof md.event_payload !== 'object')) {
    return fail('invalid_metadata_format');
  }
  return undefined;
}

function view(m: StoredMessage, withMetadata: boolean): Record<string, unknown> {
  const { channel: _channel, metadata, ...rest } = m;
  return { type: 'message', ...rest, ...(withMetadata && metadata ? { metadata } : {}) };
}

export const postMessage: MethodHandler = (body, { state }) => {
  const channel = state.resolveChannel(body.channel);
  if (!channel) return fail('channel_not_found');
  // A bot with chat:write (not chat:write.public) posts only where it has been invited.
  if (state.outsideChannels.has(channel)) return fail('not_in_channel');
  const bad = checkContent(body);
  if (bad) return bad;
  const m = state.addMessage({
    channel,
    ts: state.nextTs(),
    user: state.bot.userId,
    bot_id: state.bot.id,
    ...(typeof body.text === 'string' ? { text: body.text } : {}),
    ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
    ...(body.metadata ? { metadata: body.metadata as StoredMessage['metadata'] } : {}),
    ...(str(body.thread_ts) ? { thread_ts: str(body.thread_ts) } : {}),
  });
  return { ok: true, channel, ts: m.ts, message: view(m, true) };
};

export const update: MethodHandler = (body, { state }) => {
  const channel = state.resolveChannel(body.channel);
  if (!channel) return fail('channel_not_found');
  const m = state.findMessage(channel, String(body.ts ?? ''));
  if (!m) return fail('message_not_found');
  const bad = checkContent(body);
  if (bad) return bad;
  if (typeof body.text === 'string') m.text = body.text;
  if (Array.isArray(body.blocks)) m.blocks = body.blocks;
  if (body.metadata) m.metadata = body.metadata as StoredMessage['metadata'];
  return { ok: true, channel, ts: m.ts, text: m.text ?? '', message: view(m, true) };
};

export const postEphemeral: MethodHandler = (body, { state }) => {
  const channel = state.resolveChannel(body.channel);
  if (!channel) return fail('channel_not_found');
  if (!str(body.user)) return fail('user_not_in_channel');
  const bad = checkContent(body);
  if (bad) return bad;
  return { ok: true, message_ts: state.nextTs() };
};

export const deleteMessage: MethodHandler = (body, { state }) => {
  const channel = state.resolveChannel(body.channel);
  const list = channel ? state.messages.get(channel) : undefined;
  const i = list?.findIndex((m) => m.ts === body.ts) ?? -1;
  if (!channel || !list || i < 0) return fail('message_not_found');
  list.splice(i, 1);
  return { ok: true, channel, ts: body.ts };
};

export const open: MethodHandler = (body, { state }) => {
  const users = String(body.users ?? '').split(',').filter(Boolean);
  if (users.length === 0) return str(body.channel) ? { ok: true, channel: { id: body.channel } } : fail('users_list_not_supplied');
  if (state.users.length > 0 && users.some((u) => !state.userById(u))) return fail('user_not_found');
  const id = users.length === 1 ? state.dmChannel(users[0]!) : `G${users.sort().join('').slice(0, 10)}`;
  return { ok: true, channel: { id }, ...(truthy(body.return_im) ? { already_open: false } : {}) };
};

/** Newest first, paged by cursor; metadata only with include_all_metadata, as on Slack. */
export const history: MethodHandler = (body, { state }) => {
  const channel = state.resolveChannel(body.channel);
  if (!channel) return fail('channel_not_found');
  const offset = decodeCursor(body.cursor);
  if (offset === undefined) return fail('invalid_cursor');
  const limit = Math.min(Math.max(Number(body.limit) || 100, 1), 999);
  const oldest = Number(body.oldest ?? 0);
  const latest = body.latest === undefined ? Infinity : Number(body.latest);
  const inclusive = truthy(body.inclusive);
  const all = [...(state.messages.get(channel) ?? [])]
    .filter((m) => {
      const ts = Number(m.ts);
      return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest);
    })
    .sort((a, b) => Number(b.ts) - Number(a.ts));
  const page = all.slice(offset, offset + limit);
  const more = offset + limit < all.length;
  return {
    ok: true,
    messages: page.map((m) => view(m, truthy(body.include_all_metadata))),
    has_more: more,
    response_metadata: { next_cursor: more ? encodeCursor(offset + limit) : '' },
  };
};
