import type { Command } from 'commander';
import { headlines } from '../../domain/controls/headlines.js';
import { writeControlDigest } from '../../domain/controls/write-control-digest.js';
import { cliActor } from '../actor.js';
import { printJson, printLines } from '../output.js';
import { withRuntime } from '../runtime.js';

/**
 * `attest digest`: the weekly control digest written now, exactly as the DIGEST_SCHEDULE job
 * writes it (figures since the last digest, kept as evidence, queued for the compliance
 * channel), so an operator can send it before an audit meeting. It is a digest like any other:
 * the next scheduled one measures its trend from this one.
 */
export function register(program: Command): void {
  program
    .command('digest')
    .description('write the control digest now, as the weekly job does, and queue it for the compliance channel (serve posts it)')
    .option('--json', 'print {seq, from, to, figures, previous, queued}')
    .action(async (opts: { json?: boolean }) => {
      const { digest, channel } = await withRuntime(async (rt) => ({
        digest: await writeControlDigest(rt.deps, { actor: cliActor() }),
        channel: rt.config.COMPLIANCE_CHANNEL,
      }));
      // writeControlDigest queues the message whenever a channel is configured (its dedupe key is
      // the new event's own, so it is never already taken).
      const queued = Boolean(channel);
      const { seq, figures, previous } = digest;
      if (opts.json) {
        printJson({ seq, from: figures.from, to: figures.to, figures, previous, queued });
        return;
      }
      const h = headlines(figures);
      const pct = (v: number | null) => (v === null ? 'n/a' : `${v}%`);
      printLines(
        `Control digest from ${figures.from} to ${figures.to}, recorded as evidence event ${seq}${previous ? '' : ' (the first: no trend yet)'}`,
        `  CC6.1 MFA           ${pct(h.mfaShare)} of ${figures.mfa.active} active accounts enrolled; ${h.privilegedWithoutMfa} privileged without MFA`,
        `  CC6.2 provisioning  ${pct(h.approvedShare)} of ${figures.provisioning.newGrants} new grants approved; ${h.unapprovedOpen} unapproved still undecided`,
        `  CC6.3 removals      ${figures.removals.leavers} leavers, ${figures.removals.late} late against the ${figures.removals.slaHours}-hour SLA; ${h.awaitingVerification} revocations awaiting verification`,
        `  reviews             ${figures.reviews.onSchedule} of ${figures.reviews.campaigns} campaigns on schedule; ${h.overdueReviewers} overdue reviewers`,
        queued
          ? `Queued for ${channel ?? ''}; a running attest serve posts it there.`
          : 'COMPLIANCE_CHANNEL is not set: the digest is in the evidence log only.',
      );
    });
}
