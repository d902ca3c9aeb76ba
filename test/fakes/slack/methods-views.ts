import { homeViewErrors, modalViewErrors } from '../../helpers/slack-blocks.js';
import type { Body } from './parse-body.js';
import type { StoredView } from './state.js';
import { fail, invalidBlocks, str, type MethodContext, type MethodHandler, type Result } from './method-types.js';

/** views.*: Home tabs kept per user, modals per view id; bad views refused as Slack does. */

function checkView(view: unknown, kind: 'home' | 'modal'): Result | undefined {
  if (typeof view !== 'object' || view === null) return fail('invalid_arguments');
  const errors = kind === 'home' ? homeViewErrors(view) : modalViewErrors(view);
  if (errors.length === 0) return undefined;
  return invalidBlocks(errors, errors.some((e) => e.startsWith('/blocks')) ? 'invalid_blocks' : 'invalid_arguments');
}

function store(ctx: MethodContext, view: Body, id?: string): StoredView {
  const stored: StoredView = {
    ...view,
    id: id ?? ctx.state.nextId('V'),
    hash: `${Date.now()}.${ctx.state.nextId('h')}`,
    type: String(view.type),
    team_id: ctx.state.team.id,
    app_id: ctx.state.bot.appId,
    bot_id: ctx.state.bot.id,
  };
  ctx.state.views.set(stored.id, stored);
  return stored;
}

export const publish: MethodHandler = (body, ctx) => {
  const userId = str(body.user_id);
  if (!userId) return fail('invalid_arguments');
  if (ctx.state.users.length > 0 && !ctx.state.userById(userId)) return fail('user_not_found');
  const bad = checkView(body.view, 'home');
  if (bad) return bad;
  const current = ctx.state.homeViews.get(userId);
  if (str(body.hash) && current && body.hash !== current.hash) return fail('hash_conflict');
  const stored = store(ctx, body.view as Body, current?.id);
  stored.user_id = userId;
  ctx.state.homeViews.set(userId, stored);
  return { ok: true, view: stored };
};

export const openView: MethodHandler = (body, ctx) => {
  if (!str(body.trigger_id)) return fail('invalid_trigger_id');
  const bad = checkView(body.view, 'modal');
  if (bad) return bad;
  return { ok: true, view: store(ctx, body.view as Body) };
};

export const updateView: MethodHandler = (body, ctx) => {
  const current = str(body.view_id)
    ? ctx.state.views.get(String(body.view_id))
    : [...ctx.state.views.values()].find((v) => v.external_id === body.external_id && body.external_id);
  if (!current) return fail('not_found');
  if (str(body.hash) && body.hash !== current.hash) return fail('hash_conflict');
  const bad = checkView(body.view, current.type === 'home' ? 'home' : 'modal');
  if (bad) return bad;
  return { ok: true, view: store(ctx, body.view as Body, current.id) };
};
