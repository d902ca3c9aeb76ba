import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { exportBundle } from '../domain/evidence/export/export-bundle.js';
import type { PeriodInput } from '../domain/evidence/export/parse-period.js';
import { errorReply } from './reply-error.js';
import { uploadFile } from './upload-file.js';
import type { SlackMessage } from './views/blocks.js';
import { buildExportComment } from './views/export-messages.js';

export interface ExportToDmInput {
  period: PeriodInput;
  /** The requester, already checked for the compliance role: the bundle's actor and its DM. */
  personId: string;
  slackUserId: string;
  /** Tells the requester, visibly to them only, that the export failed. */
  answer: (message: SlackMessage) => Promise<void>;
  /** What asked for it (command text, button and digest), for the log line of a failure. */
  logContext: Record<string, unknown>;
}

/**
 * Builds the evidence bundle of a period and uploads it to the requester's DM with the bot,
 * for every Slack way of asking (`/attest export`, the digest's button). It runs after Slack
 * has had its answer, since a quarter can take longer than the 3 seconds Slack waits; so every
 * failure is turned into an answer to the requester here, never thrown into a detached task
 * where nobody would hear of it.
 */
export async function exportToDm(deps: Deps, client: WebClient, input: ExportToDmInput): Promise<void> {
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'attest-export-slack-'));
    const out = join(dir, `attest-evidence-${slug(input.period)}.zip`);
    const result = await exportBundle(deps, { period: input.period, out, actor: `person:${input.personId}` });
    await uploadFile(client, {
      path: result.file,
      title: `Evidence bundle ${result.period.label}`,
      to: { userId: input.slackUserId },
      initialComment: buildExportComment({ ...result, fileName: basename(result.file) }),
    });
    deps.logger.info({ user: input.slackUserId, period: result.period.label, sha256: result.sha256 }, 'evidence bundle sent to Slack');
  } catch (err) {
    // errorReply logs it; the requester is told, never left waiting on "Building…".
    const reply = errorReply(err, deps.logger, { ...input.logContext, user: input.slackUserId });
    await input.answer(reply).catch((e: unknown) => deps.logger.error({ err: e }, 'could not tell the requester the export failed'));
  } finally {
    // A leftover temp file is worth a log line, not an unhandled rejection in a detached task.
    if (dir) await rm(dir, { recursive: true, force: true }).catch((err: unknown) => deps.logger.warn({ err, dir }, 'could not remove the temp bundle'));
  }
}

/** How the period reads in "Building the evidence bundle for …". */
export function describePeriod(p: PeriodInput): string {
  if ('campaignId' in p) return `campaign ${p.campaignId}`;
  if ('quarter' in p) return p.quarter.toUpperCase();
  return `${instant(p.from)} to ${instant(p.to)}`;
}

function instant(v: string | Date): string {
  return v instanceof Date ? v.toISOString() : v;
}

/** A file name an auditor can recognise; ids and dates only, so nothing needs escaping. */
function slug(p: PeriodInput): string {
  return describePeriod(p).replace(/[^A-Za-z0-9-]+/g, '_');
}
