import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { AppError } from '../../errors.js';
import { EVIDENCE, MANIFEST, PUBLIC_KEY } from './export/bundle-files.js';
import { SegmentChecker, type SegmentResult } from './export/check-segment.js';
import { checkSignature, type BundleTrust, type SignatureCheck } from './export/check-signature.js';
import { parseManifest, type Manifest } from './export/manifest.js';
import { readEntries, zipEntries } from './export/read-zip.js';

export type { BundleTrust, SignatureCheck } from './export/check-signature.js';

export interface BundleFileCheck {
  name: string;
  ok: boolean;
  reason?: string;
}

export interface BundleReport {
  ok: boolean;
  files: BundleFileCheck[];
  /** Evidence events whose chain checked out. */
  events: number;
  /** Hash of the last good event. */
  head: string;
  firstBad?: number;
  reason?: string;
  /** Who signed the manifest, as far as this run could tell (see SignatureStatus). */
  signature: SignatureCheck;
}

interface Seen {
  sha256: string;
  bytes: number;
  error?: string;
}

/**
 * Checks a bundle offline. First the signature of manifest.json, when the caller trusts a key
 * (`trust`): without one, a bundle rewritten as a whole (files, hashes, manifest) still checks
 * out, and the report says the signer was not checked. Then every file against manifest.json
 * (SHA-256 and size), the evidence segment's hash chain from its stated previous hash to the
 * manifest's chain head, and the manifest's checkpoint against the segment. Reports everything
 * that does not match rather than stopping at the first.
 */
export async function verifyBundle(path: string, trust: BundleTrust = {}): Promise<BundleReport> {
  if (!existsSync(path)) throw new AppError('INVALID_INPUT', `No bundle at ${path}`, { field: 'bundle' });
  let signed: ReturnType<typeof checkSignature>;
  try {
    const small = await readEntries(path, [MANIFEST, PUBLIC_KEY]);
    signed = checkSignature(small.get(MANIFEST)?.toString('utf8'), small.get(PUBLIC_KEY), trust);
  } catch (err) {
    if (err instanceof AppError) throw err;
    return { ok: false, files: [], events: 0, head: '', reason: `not a readable zip: ${(err as Error).message}`, signature: { status: 'unsigned' } };
  }
  const integrity = await checkIntegrity(path, signed.checkpoint?.seq);
  if (!('files' in integrity)) return { ok: false, files: [], events: 0, head: '', reason: integrity.unreadable, signature: signed.check };
  const { files, evidence } = integrity;
  const signature = withCheckpointPresence(signed.check, evidence);
  const trusted = trust.publicKey === undefined && trust.fingerprint === undefined ? true : signature.status === 'verified' && signature.checkpoint?.ok !== false;
  return {
    ok: files.every((f) => f.ok) && evidence.ok && trusted,
    files,
    events: evidence.events,
    head: evidence.head,
    ...(evidence.firstBad !== undefined ? { firstBad: evidence.firstBad } : {}),
    ...(evidence.reason ? { reason: evidence.reason } : {}),
    signature,
  };
}

/** The checkpoint's (seq, hash) must be an intact event of the segment. */
function withCheckpointPresence(check: SignatureCheck, evidence: SegmentResult): SignatureCheck {
  const c = check.checkpoint;
  if (!c?.ok) return check;
  if (evidence.watchedHash === undefined) return { ...check, checkpoint: { ...c, ok: false, reason: `the checkpoint's event ${c.seq} is not an intact event of evidence.jsonl` } };
  if (evidence.watchedHash !== c.hash) return { ...check, checkpoint: { ...c, ok: false, reason: `the checkpoint says event ${c.seq} has hash ${c.hash}, evidence.jsonl has ${evidence.watchedHash}` } };
  return check;
}

/** Every entry hashed and measured, the segment's chain checked as it streams past. */
async function checkIntegrity(path: string, watchSeq: number | undefined): Promise<{ files: BundleFileCheck[]; evidence: SegmentResult } | { unreadable: string }> {
  const seen = new Map<string, Seen>();
  const duplicates = new Set<string>();
  let manifestText: string | undefined;
  let chain: SegmentResult | undefined;
  try {
    for await (const entry of zipEntries(path)) {
      if (seen.has(entry.name)) duplicates.add(entry.name);
      const checker = entry.name === EVIDENCE ? new SegmentChecker(watchSeq) : undefined;
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let bytes = 0;
      try {
        for await (const chunk of await entry.open()) {
          const b = chunk as Buffer;
          hash.update(b);
          bytes += b.length;
          checker?.push(b);
          if (entry.name === MANIFEST) chunks.push(b);
        }
        seen.set(entry.name, { sha256: hash.digest('hex'), bytes });
      } catch (err) {
        seen.set(entry.name, { sha256: '', bytes, error: `unreadable: ${(err as Error).message}` });
      }
      if (checker) chain = checker.end();
      if (entry.name === MANIFEST) manifestText = Buffer.concat(chunks).toString('utf8');
    }
  } catch (err) {
    return { unreadable: `not a readable zip: ${(err as Error).message}` };
  }
  let manifest: Manifest | undefined;
  let manifestProblem: string | undefined;
  try {
    manifest = manifestText === undefined ? undefined : parseManifest(manifestText);
    if (!manifest) manifestProblem = 'missing from the bundle';
  } catch (err) {
    manifestProblem = `unreadable: ${(err as Error).message}`;
  }
  return { files: compareFiles(manifest, seen, duplicates, manifestProblem), evidence: judgeChain(chain, manifest) };
}

function compareFiles(manifest: Manifest | undefined, seen: Map<string, Seen>, duplicates: Set<string>, problem: string | undefined): BundleFileCheck[] {
  const out: BundleFileCheck[] = [];
  const listed = new Set<string>();
  for (const f of manifest?.files ?? []) {
    listed.add(f.name);
    const s = seen.get(f.name);
    if (!s) out.push({ name: f.name, ok: false, reason: 'listed in manifest.json but missing from the bundle' });
    else if (s.error) out.push({ name: f.name, ok: false, reason: s.error });
    else if (duplicates.has(f.name)) out.push({ name: f.name, ok: false, reason: 'appears more than once in the zip' });
    else if (s.bytes !== f.bytes) out.push({ name: f.name, ok: false, reason: `size is ${s.bytes} bytes, manifest.json says ${f.bytes}` });
    else if (s.sha256 !== f.sha256) out.push({ name: f.name, ok: false, reason: 'content differs from manifest.json (SHA-256 mismatch)' });
    else out.push({ name: f.name, ok: true });
  }
  // Two manifests could show the signature one and the file hashes another.
  const manifestProblem = problem ?? (duplicates.has(MANIFEST) ? 'appears more than once in the zip' : undefined);
  out.push(manifestProblem ? { name: MANIFEST, ok: false, reason: manifestProblem } : { name: MANIFEST, ok: true });
  for (const name of seen.keys()) {
    if (!listed.has(name) && name !== MANIFEST) out.push({ name, ok: false, reason: 'not listed in manifest.json' });
  }
  return out;
}

function judgeChain(chain: SegmentResult | undefined, manifest: Manifest | undefined): SegmentResult {
  if (!chain) return { ok: false, events: 0, head: '', reason: `${EVIDENCE} is missing from the bundle` };
  if (!chain.ok || !manifest) return chain;
  if (chain.head !== manifest.chainHead) {
    return { ...chain, ok: false, reason: `the segment ends at ${chain.head}, but manifest.json states chain head ${manifest.chainHead}` };
  }
  return chain;
}
