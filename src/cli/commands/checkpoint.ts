import type { Command } from 'commander';
import { writeCheckpoint } from '../../domain/evidence/checkpoint/write-checkpoint.js';
import { AppError } from '../../errors.js';
import { cliActor } from '../actor.js';
import { printJson, printLines } from '../output.js';
import { withRuntime } from '../runtime.js';

export function register(program: Command): void {
  program
    .command('checkpoint')
    .description('sign the evidence chain head now, record it, and queue it for the compliance channel (serve posts it)')
    .option('--json', 'print {seq, hash, at, keyId, signature, queued}')
    .action(async (opts: { json?: boolean }) => {
      const { checkpoint, channel } = await withRuntime(async (rt) => ({
        checkpoint: await writeCheckpoint(rt.deps, { actor: cliActor(), force: true }),
        channel: rt.config.COMPLIANCE_CHANNEL,
      }));
      if (!checkpoint) throw new AppError('CONFLICT', 'The evidence log is empty: there is no head to sign yet');
      // writeCheckpoint queues the message whenever a channel is configured (its dedupe key is
      // the new event's own, so it is never already taken).
      const queued = Boolean(channel);
      if (opts.json) {
        printJson({ ...checkpoint, queued });
        return;
      }
      printLines(
        `Signed the chain head: event ${checkpoint.seq}, hash ${checkpoint.hash}`,
        `  at         ${checkpoint.at}`,
        `  key        ${checkpoint.keyId}`,
        `  signature  ${checkpoint.signature}`,
        queued
          ? `Queued for ${channel ?? ''}; a running attest serve posts it there.`
          : 'COMPLIANCE_CHANNEL is not set: the checkpoint is in the evidence log only, with no witness outside the database.',
      );
    });
}
