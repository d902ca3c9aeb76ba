import type { KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical.js';
import { signBytes, verifyBytes, type SigningKey } from './signing-key.js';

/**
 * A signed statement of the chain head: "at `at`, event `seq` had hash `hash`". It is stored
 * as an `evidence.checkpoint` event and posted to Slack as the witness outside the database.
 */
export interface Checkpoint {
  seq: number;
  hash: string;
  /** ISO time the checkpoint was signed. */
  at: string;
  keyId: string;
  /** Base64 Ed25519 signature over `checkpointBytes` of the other four fields. */
  signature: string;
}

export type UnsignedCheckpoint = Omit<Checkpoint, 'signature'>;

/** The exact bytes that are signed: canonical JSON of seq, hash, at and keyId. */
export function checkpointBytes(c: UnsignedCheckpoint): string {
  return canonicalJson({ seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId });
}

export function signCheckpoint(key: SigningKey, head: { seq: number; hash: string }, at: Date): Checkpoint {
  const unsigned: UnsignedCheckpoint = { seq: head.seq, hash: head.hash, at: at.toISOString(), keyId: key.keyId };
  return { ...unsigned, signature: signBytes(key, checkpointBytes(unsigned)) };
}

export function checkpointSignatureValid(publicKey: KeyObject, c: Checkpoint): boolean {
  return verifyBytes(publicKey, checkpointBytes(c), c.signature);
}
