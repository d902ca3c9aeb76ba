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
 * Makes a payload exactly what JSONB will give back (Dates as ISO strings, no undefined),
 * and keeps credentials out of the log whatever a caller passed in.
 */
export function normalisePayload(payload: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(payload, (key, v: unknown) => (key && SECRET_KEY.test(key) ? '[redacted]' : v)),
  ) as Record<string, unknown>;
}
