import { canonicalJson } from '../canonical.js';
import type { Checkpoint } from '../signing/checkpoint.js';
import { signBytes, type SigningKey } from '../signing/signing-key.js';
import type { ManifestFile } from './zip-writer.js';

export interface Manifest {
  files: ManifestFile[];
  /** Hash of the last event in evidence.jsonl (the segment's head). */
  chainHead: string;
  generatedAt: string;
  generator: string;
  parameters: Record<string, unknown>;
  /** Signed bundles only (ATTEST_SIGNING_KEY set): fingerprint of the signing key. */
  keyId?: string;
  /** Signed bundles only: the latest checkpoint in evidence.jsonl by that key, if there is one. */
  checkpoint?: Checkpoint;
  /** Signed bundles only: base64 Ed25519 signature over manifestSignedBytes of the rest. */
  signature?: string;
}

export interface ManifestInput {
  files: ManifestFile[];
  chainHead: string;
  generatedAt: Date;
  generator: string;
  parameters: Record<string, unknown>;
  signing?: { key: SigningKey; checkpoint: Checkpoint | null } | null;
}

export function buildManifest(input: ManifestInput): Buffer {
  const manifest: Manifest = {
    files: input.files,
    chainHead: input.chainHead,
    generatedAt: input.generatedAt.toISOString(),
    generator: input.generator,
    parameters: input.parameters,
  };
  let out: Record<string, unknown> = { ...manifest };
  if (input.signing) {
    const { key, checkpoint } = input.signing;
    // Signed as a verifier will read it back: parsed from JSON (a Date in the parameters is a string there).
    const unsigned = JSON.parse(JSON.stringify({ ...manifest, keyId: key.keyId, ...(checkpoint ? { checkpoint } : {}) })) as Record<string, unknown>;
    out = { ...unsigned, signature: signBytes(key, manifestSignedBytes(unsigned)) };
  }
  return Buffer.from(`${JSON.stringify(out, null, 2)}\n`, 'utf8');
}

/**
 * The exact bytes a manifest's `signature` covers: canonicalJson (keys sorted at every depth, no
 * whitespace, see canonical.ts) of manifest.json as parsed, without its `signature` field. So a
 * verifier needs nothing of how the file was laid out: parse it, drop `signature`, canonicalise,
 * and check the Ed25519 signature over those UTF-8 bytes with the public key.
 */
export function manifestSignedBytes(parsed: Record<string, unknown>): string {
  const { signature: _signature, ...rest } = parsed;
  return canonicalJson(rest);
}

/** Reads a manifest back, checking only the shape the verifier relies on. */
export function parseManifest(text: string): Manifest {
  const m = JSON.parse(text) as Partial<Manifest>;
  if (!Array.isArray(m.files) || typeof m.chainHead !== 'string') throw new Error('manifest.json lacks files or chainHead');
  for (const f of m.files) {
    if (typeof f?.name !== 'string' || typeof f.sha256 !== 'string' || typeof f.bytes !== 'number') throw new Error('manifest.json has a malformed file entry');
  }
  return m as Manifest;
}
