import { COMMAND } from '../../ids.js';
import { describePeriod, exportToDm } from '../../export-to-dm.js';
import type { SlackMessage } from '../../views/blocks.js';
import { buildExportStarted } from '../../views/export-messages.js';
import { parseExportArgs } from './export-period.js';
import type { SubcommandContext } from './subcommands.js';
import { workInFlight } from '../../../work-in-flight.js';

/**
 * `/attest export …` for the compliance role (the router refuses anyone else and records it).
 * The period is checked before answering, so a typo gets an error instead of "Building…";
 * the bundle itself is built and uploaded after the answer, because a quarter can take longer
 * than the 3 seconds Slack waits, and its outcome reaches the requester as a DM or an error.
 */
export async function runExport(ctx: SubcommandContext): Promise<SlackMessage> {
  const { deps, caller, client, command } = ctx;
  const period = parseExportArgs(ctx.args, deps.clock.now(), deps.config.TZ);
  const build = () =>
    exportToDm(deps, client, {
      period,
      personId: caller.person!.id,
      slackUserId: caller.slackUserId,
      answer: (message) => respondLater(command.response_url, message),
      logContext: { command: `${COMMAND} export`, text: command.text },
    });
  // After this turn, so the "Building…" answer is on its way before any failure is.
  setImmediate(() => void workInFlight.track(build()));
  return buildExportStarted(describePeriod(period));
}

/** A second ephemeral answer through the command's response_url (valid for 30 minutes). */
async function respondLater(responseUrl: string, message: SlackMessage): Promise<void> {
  const res = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message }),
  });
  if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
}
