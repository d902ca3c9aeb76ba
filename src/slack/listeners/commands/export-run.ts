import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { exportBundle } from '../../../domain/evidence/export/export-bundle.js';
import type { PeriodInput } from '../../../domain/evidence/export/parse-period.js';
import { COMMAND } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { uploadFile } from '../../upload-file.js';
import type { SlackMessage } from '../../views/blocks.js';
import { buildExportComment, buildExportStarted } from '../../views/export-messages.js';
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
  const period = parseExportArgs(ctx.args, ctx.deps.clock.now(), ctx.deps.config.TZ);
  // After this turn, so the "Building…" answer is on its way before any failure is.
  setImmediate(() => void workInFlight.track(buildAndSend(ctx, period)));
  return buildExportStarted(describe(period));
}

async function buildAndSend(ctx: SubcommandContext, period: PeriodInput): Promise<void> {
  const { deps, caller, client, command } = ctx;
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'attest-export-slack-'));
    const out = join(dir, `attest-evidence-${slug(period)}.zip`);
    const result = await exportBundle(deps, { period, out, actor: `person:${caller.person!.id}` });
    await uploadFile(client, {
      path: result.file,
      title: `Evidence bundle ${result.period.label}`,
      to: { userId: caller.slackUserId },
      initialComment: buildExportComment({ ...result, fileName: basename(result.file) }),
    });
    deps.logger.info({ user: caller.slackUserId, period: result.period.label, sha256: result.sha256 }, 'evidence bundle sent to Slack');
  } catch (err) {
    // errorReply logs it; the requester is told, never left waiting on "Building…".
    const reply = errorReply(err, deps.logger, { command: `${COMMAND} export`, text: command.text, user: caller.slackUserId });
    await respondLater(command.response_url, reply).catch((e: unknown) => deps.logger.error({ err: e }, 'could not tell the requester the export failed'));
  } finally {
    // A leftover temp file is worth a log line, not an unhandled rejection in a detached task.
    if (dir) await rm(dir, { recursive: true, force: true }).catch((err: unknown) => deps.logger.warn({ err, dir }, 'could not remove the temp bundle'));
  }
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

function describe(p: PeriodInput): string {
  if ('campaignId' in p) return `campaign ${p.campaignId}`;
  if ('quarter' in p) return p.quarter.toUpperCase();
  return `${String(p.from)} to ${String(p.to)}`;
}

/** A file name an auditor can recognise; ids and dates only, so nothing needs escaping. */
function slug(p: PeriodInput): string {
  return describe(p).replace(/[^A-Za-z0-9-]+/g, '_');
}
