import { readFile } from 'node:fs/promises';
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
    .option(
      '--public-key <file>',
      "the Ed25519 public key (PEM) signatures must verify with (default: that of ATTEST_SIGNING_KEY; with --bundle no default: the signer's key you were given); with --witness repeat it for each key used, e.g. the old and the new after a rotation",
      (file: string, earlier: string[] = []) => [...earlier, file],
    )
    .option('--fingerprint <hex>', "with --bundle: the signing key's fingerprint you were given; the bundle's public-key.pem must have it")
    .option('--json', 'print {ok, events, head, firstBad?} (with --bundle also files: [{name, ok, reason?}] and signature: {status, keyId?, reason?, checkpoint?})')
    .action(async (opts: { json?: boolean; bundle?: string }) => {
      if (opts.bundle !== undefined) return checkBundle(opts.bundle, opts as BundleFlags);
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

interface BundleFlags {
  json?: boolean;
  publicKey?: string[];
  fingerprint?: string;
}

/**
 * Offline: a bundle is checked without opening the database, so an auditor can run it anywhere.
 * Its signer is checked only against a key the auditor brings (--public-key or --fingerprint),
 * never ATTEST_SIGNING_KEY's: the point is not to trust the bundle's own say-so.
 */
async function checkBundle(path: string, flags: BundleFlags): Promise<void> {
  const keys = flags.publicKey ?? [];
  if (keys.length > 1) throw new AppError('INVALID_INPUT', '--bundle takes one --public-key: the key of the bundle\'s signer', { field: 'public-key' });
  const trust = {
    ...(keys[0] !== undefined ? { publicKey: await readKeyFile(keys[0]) } : {}),
    ...(flags.fingerprint !== undefined ? { fingerprint: flags.fingerprint } : {}),
  };
  const report = await verifyBundle(path, trust);
  if (flags.json) printJson(report);
  else printLines(...describe(path, report));
  if (!report.ok) throw new AppError('INTEGRITY', `Bundle ${path} does not verify: ${problems(report).join('; ')}`);
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('INVALID_INPUT', `--public-key: cannot read ${path}: ${(err as Error).message}`, { field: 'public-key' });
  }
}

/** Signature problems first: until the manifest is the signer's, its hashes prove nothing. */
function problems(r: BundleReport): string[] {
  const out: string[] = [];
  const s = r.signature;
  if ((s.status === 'mismatch' || s.status === 'unsigned') && s.reason) out.push(s.reason);
  if (s.checkpoint && !s.checkpoint.ok) out.push(`checkpoint: ${s.checkpoint.reason ?? 'does not match'}`);
  out.push(...r.files.filter((f) => !f.ok).map((f) => `${f.name} ${f.reason ?? 'does not match'}`));
  if (r.firstBad !== undefined) out.push(`evidence chain broken at event ${r.firstBad}`);
  else if (r.reason) out.push(r.reason);
  return out;
}

function describe(path: string, r: BundleReport): string[] {
  const s = r.signature;
  const lines = r.files.map((f) => `  ${f.ok ? 'ok ' : 'BAD'}  ${f.name}${f.reason ? ` — ${f.reason}` : ''}`);
  const chain = r.firstBad !== undefined ? `  BAD  evidence chain: ${r.reason}` : r.reason ? `  BAD  evidence chain: ${r.reason}` : `  ok   evidence chain: ${r.events} events, head ${r.head}`;
  const signer: Record<typeof s.status, string> = {
    verified: `  ok   signature: manifest.json signed by key ${s.keyId}`,
    unchecked: `  --   signature: manifest.json names key ${s.keyId ?? '(none)'}, not checked`,
    unsigned: s.reason ? `  BAD  signature: ${s.reason}` : '  --   signature: none (unsigned bundle)',
    mismatch: `  BAD  signature: ${s.reason ?? 'does not match'}`,
  };
  const c = s.checkpoint;
  const checkpoint = c ? [c.ok ? `  ok   checkpoint: event ${c.seq}, hash ${c.hash}, signed by the same key` : `  BAD  checkpoint: ${c.reason}`] : [];
  const headline = !r.ok ? `Bundle ${path} does NOT verify.` : s.status === 'verified' ? `Bundle ${path} verifies: signed by key ${s.keyId}.` : `Bundle ${path} is intact.`;
  const caveat =
    r.ok && s.status === 'unchecked'
      ? [`Checked integrity only: the bundle is signed, but its signer was not checked (a bundle rewritten as a whole would pass too). Give --fingerprint ${s.keyId ?? 'HEX'} (from someone you trust, not from the bundle) or --public-key KEY.pem.`]
      : r.ok && s.status === 'unsigned'
        ? ['Checked integrity only: the bundle is unsigned, so nothing shows who made it (a bundle rewritten as a whole would pass too).']
        : [];
  return [headline, signer[s.status], ...checkpoint, ...lines, chain, ...caveat];
}
