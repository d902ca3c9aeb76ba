import { userObject } from './state.js';
import { decodeCursor, encodeCursor, fail, str, type MethodHandler } from './method-types.js';

/** auth.test, users.*, files.*: the workspace's directory and file uploads. */

export const authTest: MethodHandler = (_body, { state }) => ({
  ok: true,
  url: `https://${state.team.domain}.slack.com/`,
  team: state.team.name,
  user: 'attest',
  team_id: state.team.id,
  user_id: state.bot.userId,
  bot_id: state.bot.id,
  is_enterprise_install: false,
});

/**
 * Paged like Slack: no `limit` means everything, and a page may hold fewer than asked (the
 * fake's `maxPageSize`), so callers must follow `next_cursor` until it is empty.
 */
export function usersList(maxPageSize: () => number): MethodHandler {
  return (body, { state }) => {
    const offset = decodeCursor(body.cursor);
    if (offset === undefined) return fail('invalid_cursor');
    const asked = Number(body.limit) || Infinity;
    const size = Math.min(asked, maxPageSize());
    const page = state.users.slice(offset, offset + size);
    const next = offset + size < state.users.length ? encodeCursor(offset + size) : '';
    return {
      ok: true,
      members: page.map((u) => userObject(u, state.team.id)),
      cache_ts: Math.floor(Date.now() / 1000),
      response_metadata: { next_cursor: next },
    };
  };
}

export const usersInfo: MethodHandler = (body, { state }) => {
  const u = state.userById(String(body.user ?? ''));
  return u ? { ok: true, user: userObject(u, state.team.id) } : fail('user_not_found');
};

export const lookupByEmail: MethodHandler = (body, { state }) => {
  const email = str(body.email)?.toLowerCase();
  if (!email) return fail('invalid_arguments');
  const u = state.users.find((x) => x.email?.toLowerCase() === email && !x.deleted);
  return u ? { ok: true, user: userObject(u, state.team.id) } : fail('users_not_found');
};

export const getUploadUrl: MethodHandler = (body, { state, baseUrl }) => {
  const filename = str(body.filename);
  const length = Number(body.length);
  if (!filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
  const id = state.nextId('F');
  state.files.set(id, { id, filename, length });
  return { ok: true, upload_url: `${baseUrl}/upload/${id}`, file_id: id };
};

export const completeUpload: MethodHandler = (body, { state }) => {
  const files = body.files as { id?: string; title?: string }[] | undefined;
  if (!Array.isArray(files) || files.length === 0) return fail('invalid_arguments');
  const stored = files.map((f) => ({ f, s: state.files.get(String(f.id)) }));
  if (stored.some(({ s }) => !s || !s.content)) return fail('file_not_found');
  const channel = body.channel_id === undefined ? undefined : state.resolveChannel(body.channel_id);
  if (body.channel_id !== undefined && !channel) return fail('channel_not_found');
  const out = stored.map(({ f, s }) => {
    s!.title = f.title ?? s!.filename;
    return { id: s!.id, name: s!.filename, title: s!.title, size: s!.content!.length };
  });
  if (channel) {
    state.addMessage({
      channel,
      ts: state.nextTs(),
      user: state.bot.userId,
      bot_id: state.bot.id,
      ...(str(body.initial_comment) ? { text: String(body.initial_comment) } : {}),
      files: out.map((f) => ({ id: f.id, title: f.title })),
    });
  }
  return { ok: true, files: out };
};
