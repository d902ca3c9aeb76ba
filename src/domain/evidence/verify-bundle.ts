import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { AppError } from '../../errors.js';
import { EVIDENCE, MANIFEST } from './export/bundle-files.js';
import { SegmentChecker, type SegmentResult } from './export/check-segment.js';
import { parseManifest, type Manifest } from './export/manifest.js';
import { zipEntries } from './export/read-zip.js';

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
}

interface Seen {
  sha256: string;
  bytes: number;
  error?: string;
}

/**
 * Checks a bundle offline: every file against manifest.json (SHA-256 and size), and the
 * evidence segment's hash chain from its stated previous hash to the manifest's chain head.
 * Reports everything that does not match rather than stopping at the first.
 */
export async function verifyBundle(path: string): Promise<BundleReport> {
  if (!existsSync(path)) throw new AppError('INVALID_INPUT', `No bundle at ${path}`, { field: 'bundle' });
  const seen = new Map<string, Seen>();
  const duplicates = new Set<string>();
  let manifestText: string | undefined;
  let chain: SegmentResult | undefined;
  try {
    for await (const entry of zipEntries(path)) {
      if (seen.has(entry.name)) duplicates.add(entry.name);
      const checker = entry.name === EVIDENCE ? new SegmentChecker() : undefined;
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
    return { ok: false, files: [], events: 0, head: '', reason: `not a readable zip: ${(err as Error).message}` };
  }
  let manifest: Manifest | undefined;
  let manifestProblem: string | undefined;
  try {
    manifest = manifestText === undefined ? undefined : parseManifest(manifestText);
    if (!manifest) manifestProblem = 'missing from the bundle';
  } catch (err) {
    manifestProblem = `unreadable: ${(err as Error).message}`;
  }
  const files = compareFiles(manifest, seen, duplicates, manifestProblem);
  const evidence = judgeChain(chain, manifest);
  const ok = files.every((f) => f.ok) && evidence.ok;
  return {
    ok,
    files,
    events: evidence.events,
    head: evidence.head,
    ...(evidence.firstBad !== undefined ? { firstBad: evidence.firstBad } : {}),
    ...(evidence.reason ? { reason: evidence.reason } : {}),
  };
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
  out.push(problem ? { name: MANIFEST, ok: false, reason: problem } : { name: MANIFEST, ok: true });
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
