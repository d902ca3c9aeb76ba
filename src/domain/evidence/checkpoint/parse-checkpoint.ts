import type { Checkpoint } from '../signing/checkpoint.js';

const HASH = /^[0-9a-f]{64}$/;

/**
 * A checkpoint from data that came from outside (Slack metadata, a stored payload): exactly
 * the five fields with the right shapes, or null. Whether it is genuine is the signature's
 * business; this only makes sure there is something to check.
 */
export function parseCheckpoint(value: unknown): Checkpoint | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const { seq, hash, at, keyId, signature } = v;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return null;
  if (typeof hash !== 'string' || !HASH.test(hash)) return null;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return null;
  if (typeof keyId !== 'string' || typeof signature !== 'string' || signature === '') return null;
  return { seq, hash, at, keyId, signature };
}
