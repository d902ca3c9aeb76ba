import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time.js';

/** A signature older (or further in the future) than this is refused: it may be a replay. */
export const HR_SIGNATURE_TOLERANCE_S = 300;

/**
 * `X-Attest-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. Several
 * `v1` values are accepted (a sender rotating its secret signs with both).
 */
export function verifyHrSignature(secret: string, headerValue: string | undefined, rawBody: string, now: Date): boolean {
  if (!headerValue) return false;
  let t: string | undefined;
  const candidates: string[] = [];
  for (const part of headerValue.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') t = value;
    else if (key === 'v1') candidates.push(value.toLowerCase());
  }
  if (!t || !/^\d{1,12}$/.test(t) || candidates.length === 0) return false;
  if (Math.abs(now.getTime() / 1000 - Number(t)) > HR_SIGNATURE_TOLERANCE_S) return false;
  const expected = signHr(secret, t, rawBody);
  // Every candidate is compared (no early exit), so timing does not reveal which one matched.
  return candidates.map((c) => constantTimeEqual(c, expected)).includes(true);
}

export function signHr(secret: string, t: string | number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${t}.${rawBody}`, 'utf8').digest('hex');
}
