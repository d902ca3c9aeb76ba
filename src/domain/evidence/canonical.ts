import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: the same event always serialises the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export interface HashedFields {
  seq: number;
  at: Date | string;
  actor: string;
  action: string;
  subject: Record<string, string>;
  payload: Record<string, unknown>;
}

/** SHA-256 over the previous hash and the event's canonical form (the chain link). */
export function eventHash(prevHash: string, e: HashedFields): string {
  const at = typeof e.at === 'string' ? e.at : e.at.toISOString();
  const body = canonicalJson({ seq: e.seq, at, actor: e.actor, action: e.action, subject: e.subject, payload: e.payload });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

const SECRET_KEY = /token|secret|password|private_?key|authorization|signature/i;

/**
 * Top-level payload keys that are public by construction in one action, and would be
 * meaningless redacted: a checkpoint's Ed25519 signature is what the witness is checked
 * against. Only these exact keys at the top level; the same names anywhere else (nested, or in
 * another action) are still redacted.
 */
const PUBLIC_KEYS: Record<string, ReadonlySet<string>> = {
  'evidence.checkpoint': new Set(['signature']),
};

/**
 * Makes a payload exactly what JSONB will give back (Dates as ISO strings, no undefined),
 * and keeps credentials out of the log whatever a caller passed in.
 */
export function normalisePayload(payload: Record<string, unknown>, action?: string): Record<string, unknown> {
  const keep = action === undefined ? undefined : PUBLIC_KEYS[action];
  return JSON.parse(
    // The holder of a top-level key is `payload` itself (the root replacer returns it as is).
    JSON.stringify(payload, function (this: unknown, key, v: unknown) {
      if (!key || !SECRET_KEY.test(key)) return v;
      return this === payload && keep?.has(key) ? v : '[redacted]';
    }),
  ) as Record<string, unknown>;
}
