import type { KeyObject } from 'node:crypto';
import { AppError } from '../../../errors.js';
import { parseCheckpoint } from '../checkpoint/parse-checkpoint.js';
import { checkpointSignatureValid, type Checkpoint } from '../signing/checkpoint.js';
import { fingerprint, parsePublicKey, verifyBytes } from '../signing/signing-key.js';
import { manifestSignedBytes } from './manifest.js';

/** What the verifier was told to trust: the public key, or its fingerprint, handed over beforehand. */
export interface BundleTrust {
  /** PEM of the signer's public key. */
  publicKey?: string | Buffer;
  /** Hex SHA-256 of the signer's public key (DER); the bundle's public-key.pem must have it. */
  fingerprint?: string;
}

/**
 * - verified: signed by the key the verifier trusts, and the signature matches.
 * - unchecked: signed, but no key was given, so nothing says who signed it.
 * - unsigned: manifest.json carries no signature.
 * - mismatch: signed by another key, or the signature does not match what the manifest says.
 */
export type SignatureStatus = 'verified' | 'unchecked' | 'unsigned' | 'mismatch';

export interface CheckpointCheck {
  seq?: number;
  hash?: string;
  ok: boolean;
  reason?: string;
}

export interface SignatureCheck {
  status: SignatureStatus;
  /** The signer's key: as verified, or as the manifest names it when unchecked. */
  keyId?: string;
  reason?: string;
  /** The manifest's checkpoint, checked when the signature is (its presence in the segment is checked later). */
  checkpoint?: CheckpointCheck;
}

/**
 * Checks manifest.json's signature against the key the verifier trusts, before anything else:
 * the file hashes and the chain head only mean something once the manifest is known to be the
 * signer's. `bundlePem` is the bundle's public-key.pem, used only once its fingerprint matches.
 * Returns the checkpoint to look for in the segment, when its signature holds.
 */
export function checkSignature(manifestText: string | undefined, bundlePem: Buffer | undefined, trust: BundleTrust): { check: SignatureCheck; checkpoint?: Checkpoint } {
  const parsed = parseObject(manifestText);
  const signature = typeof parsed?.signature === 'string' ? parsed.signature : undefined;
  const named = typeof parsed?.keyId === 'string' ? parsed.keyId : undefined;
  if (trust.publicKey === undefined && trust.fingerprint === undefined) {
    return { check: signature ? { status: 'unchecked', ...(named ? { keyId: named } : {}) } : { status: 'unsigned' } };
  }
  if (!parsed || !signature) return { check: { status: 'unsigned', reason: 'manifest.json is not signed, so nothing shows the bundle comes from the key you gave' } };
  const trusted = trustedKey(bundlePem, trust);
  if ('reason' in trusted) return { check: { status: 'mismatch', reason: trusted.reason } };
  const keyId = fingerprint(trusted.key);
  if (named !== keyId) return { check: { status: 'mismatch', keyId, reason: `manifest.json was signed by key ${named ?? '(none named)'}, not by key ${keyId}` } };
  if (!verifyBytes(trusted.key, manifestSignedBytes(parsed), signature)) {
    return { check: { status: 'mismatch', keyId, reason: `signature does not match: manifest.json is not what key ${keyId} signed` } };
  }
  if (parsed.checkpoint === undefined) return { check: { status: 'verified', keyId } };
  const checkpoint = parseCheckpoint(parsed.checkpoint);
  if (!checkpoint) return { check: { status: 'verified', keyId, checkpoint: { ok: false, reason: 'the checkpoint in manifest.json is malformed' } } };
  const base = { seq: checkpoint.seq, hash: checkpoint.hash };
  if (checkpoint.keyId !== keyId || !checkpointSignatureValid(trusted.key, checkpoint)) {
    return { check: { status: 'verified', keyId, checkpoint: { ...base, ok: false, reason: `the checkpoint's signature does not match key ${keyId}` } } };
  }
  return { check: { status: 'verified', keyId, checkpoint: { ...base, ok: true } }, checkpoint };
}

/** The key given, or the bundle's own public key once it has the fingerprint given. */
function trustedKey(bundlePem: Buffer | undefined, trust: BundleTrust): { key: KeyObject } | { reason: string } {
  const wanted = trust.fingerprint?.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (trust.publicKey !== undefined) {
    let key: KeyObject;
    try {
      key = parsePublicKey(trust.publicKey);
    } catch (err) {
      throw new AppError('INVALID_INPUT', `--public-key: ${(err as Error).message}`, { field: 'public-key' });
    }
    if (wanted && fingerprint(key) !== wanted) throw new AppError('INVALID_INPUT', `--public-key has fingerprint ${fingerprint(key)}, not ${wanted}: give the key and its own fingerprint, or one of them`, { field: 'fingerprint' });
    return { key };
  }
  if (!bundlePem) return { reason: 'the bundle has no public-key.pem to check against --fingerprint' };
  let key: KeyObject;
  try {
    key = parsePublicKey(bundlePem);
  } catch (err) {
    return { reason: `public-key.pem in the bundle is unusable: ${(err as Error).message}` };
  }
  const found = fingerprint(key);
  if (found !== wanted) return { reason: `the bundle was signed by key ${found}, not by key ${wanted} (public-key.pem fingerprint mismatch)` };
  return { key };
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
