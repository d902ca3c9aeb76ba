import { COMMAND } from '../../ids.js';
import { recordRoleRefusal } from '../../record-role-refusal.js';
import type { SlackMessage } from '../../views/blocks.js';
import { findSubcommand, helpFor, isAllowed, type SubcommandContext } from './subcommands.js';

/**
 * Picks the row for `/attest <name> <args>`. Anything that cannot run (unknown, not allowed,
 * not built yet) is answered with help and a line saying why: a slash command that answers
 * nothing looks broken.
 */
export async function routeAttest(ctx: Omit<SubcommandContext, 'args'>, text: string): Promise<SlackMessage> {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const name = first.toLowerCase() || 'help';
  const sub = findSubcommand(name);
  if (!sub) return helpFor(ctx.caller, `I don't know "${COMMAND} ${first}".`);
  if (!isAllowed(sub, ctx.caller)) {
    if (sub.audience === 'anyone' || sub.audience === 'person') {
      return helpFor(ctx.caller, `"${COMMAND} ${sub.name}" is for people in the directory, and you're not in it yet.`);
    }
    // Trying a command reserved to a role is a security event, on record like any refusal.
    await recordRoleRefusal(ctx.deps, ctx.caller, { attempted: `${COMMAND} ${sub.name}`, role: sub.audience });
    return helpFor(ctx.caller, `"${COMMAND} ${sub.name}" is only for people with the ${sub.audience} role.`);
  }
  if (!sub.run) return helpFor(ctx.caller, `"${COMMAND} ${sub.name}" is not available yet.`);
  return sub.run({ ...ctx, args: rest.join(' ') });
}
