import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Role } from '../../../db/schema/index.js';
import type { Deps } from '../../../deps.js';
import { getControlDigest } from '../../../domain/controls/write-control-digest.js';
import { AppError } from '../../../errors.js';
import { identifyCaller } from '../../caller.js';
import { exportToDm } from '../../export-to-dm.js';
import { ACTION } from '../../ids.js';
import { recordRoleRefusal } from '../../record-role-refusal.js';
import { errorReply } from '../../reply-error.js';
import { buildExportStarted } from '../../views/export-messages.js';
import { buildNotice } from '../../views/notice.js';
import { findSubcommand, isAllowed, type Subcommand } from '../commands/subcommands.js';
import { tellClicker } from './tell-clicker.js';

/** Evidence seqs are positive integers; anything else was not sent by the digest. */
const SEQ = /^[1-9]\d{0,15}$/;

/**
 * `Evidence bundle for this period` on the weekly control digest. The digest sits in a channel
 * anyone there can click in, so who may have the bundle is decided exactly as for
 * `/attest export` (its row in the command table), and a refusal is recorded the same way.
 * The period is read back from the digest's evidence event rather than taken from the button,
 * so the bundle covers exactly what the digest counted. The export runs after the ack (the
 * middleware keeps shutdown waiting for it) and its outcome reaches the clicker: the zip in
 * their DM, or an ephemeral answer through the click's response_url.
 */
export function registerDigestEvidence(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.digestEvidence, async ({ ack, body, action, client, respond }) => {
    await ack();
    const value = action.value ?? '';
    const tell = (m: Parameters<typeof tellClicker>[1]) => tellClicker({ body, client, respond, logger: deps.logger }, m);
    const logContext = { action: ACTION.digestEvidence, digest: value };
    try {
      const caller = await identifyCaller(deps, body.user.id);
      const { row, role } = exportCommand();
      if (!isAllowed(row, caller) || !caller.person) {
        // The value is the clicker's to edit: only a digest seq goes on record, never free text.
        await recordRoleRefusal(deps, caller, { attempted: ACTION.digestEvidence, role, subject: SEQ.test(value) ? { digest: value } : {} });
        await tell(buildNotice(`"Evidence bundle for this period" is only for people with the ${role} role.`));
        return;
      }
      if (!SEQ.test(value)) throw new AppError('NOT_FOUND', 'This button does not name a control digest.');
      const digest = await getControlDigest(deps.db, Number(value));
      const period = { from: digest.figures.from, to: digest.figures.to };
      await tell(buildExportStarted(`control digest #${digest.seq} (${period.from} to ${period.to})`));
      await exportToDm(deps, client, { period, personId: caller.person.id, slackUserId: caller.slackUserId, answer: tell, logContext });
    } catch (err) {
      await tell(errorReply(err, deps.logger, { ...logContext, user: body.user.id }));
    }
  });
}

/** `/attest export`'s row: the one rule for who may have a bundle, and the role it names. */
function exportCommand(): { row: Subcommand; role: Role } {
  const row = findSubcommand('export');
  if (!row || row.audience === 'anyone' || row.audience === 'person') throw new Error('/attest export is not reserved to a role in the command table');
  return { row, role: row.audience };
}
