import type { Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines } from '../output.js';
import { verifyChain } from '../../domain/evidence/verify-chain.js';
import { verifyBundle, type BundleReport } from '../../domain/evidence/verify-bundle.js';
import { AppError } from '../../errors.js';
import { checkWitness, type WitnessFlags } from '../verify-witness.js';

export function register(program: Command): void {
  program
    .command('verify')
    .description('walk the whole evidence chain and check every link, or check an exported bundle offline (--bundle); exits 1 on a mismatch')
    .option('--bundle <file>', 'check an export zip against its manifest and its evidence segment (no database needed)')
    .option('--witness', 'also check the chain against the signed checkpoints posted to COMPLIANCE_CHANNEL')
    .option('--checkpoint <seq:hash>', 'also check that event SEQ still has exactly HASH (a head noted earlier)')
    .option('--public-key <file>', 'the Ed25519 public key (PEM) signatures must verify with (default: that of ATTEST_SIGNING_KEY)')
    .option('--json', 'print {ok, events, head, firstBad?} (with --bundle also files: [{name, ok, reason?}])')
    .action(async (opts: { json?: boolean; bundle?: string }) => {
      if (opts.bundle !== undefined) return checkBundle(opts.bundle, Boolean(opts.json));
      const witness = opts as WitnessFlags;
      if (witness.witness || witness.checkpoint !== undefined) return checkWitness(witness);
      const report = await withRuntime((rt) => verifyChain(rt.deps.db));
      if (opts.json) printJson(report);
      else if (report.ok) printLines(`Evidence chain intact: ${report.events} events, head ${report.head}`);
      if (!report.ok) {
        // The message names the first bad sequence number; with --json it is in `firstBad`.
        throw new AppError('INTEGRITY', `Evidence chain broken at event ${report.firstBad}: ${report.reason}`);
      }
    });
}

/** Offline: a bundle is checked without opening the database, so an auditor can run it anywhere. */
async function checkBundle(path: string, json: boolean): Promise<void> {
  const report = await verifyBundle(path);
  if (json) printJson(report);
  else printLines(...describe(path, report));
  if (!report.ok) throw new AppError('INTEGRITY', `Bundle ${path} does not verify: ${problems(report).join('; ')}`);
}

function problems(r: BundleReport): string[] {
  const out = r.files.filter((f) => !f.ok).map((f) => `${f.name} ${f.reason ?? 'does not match'}`);
  if (r.firstBad !== undefined) out.push(`evidence chain broken at event ${r.firstBad}`);
  else if (r.reason) out.push(r.reason);
  return out;
}

function describe(path: string, r: BundleReport): string[] {
  const lines = r.files.map((f) => `  ${f.ok ? 'ok ' : 'BAD'}  ${f.name}${f.reason ? ` — ${f.reason}` : ''}`);
  const chain = r.firstBad !== undefined ? `  BAD  evidence chain: ${r.reason}` : r.reason ? `  BAD  evidence chain: ${r.reason}` : `  ok   evidence chain: ${r.events} events, head ${r.head}`;
  return [r.ok ? `Bundle ${path} verifies.` : `Bundle ${path} does NOT verify.`, ...lines, chain];
}
