import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares secrets without leaking, through timing, how much of a guess was right. Both sides
 * are hashed first so inputs of different lengths compare in the same time too.
 */
export function constantTimeEqual(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
