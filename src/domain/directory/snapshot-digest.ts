import { createHash } from 'node:crypto';
import type { SourceSnapshot } from './read-source.js';

/**
 * SHA-256 over the sorted accounts (id, status) and grants of a snapshot: a baseline event
 * commits to exactly what was read, so the starting population can be proven later.
 */
export function snapshotDigest(snap: SourceSnapshot): string {
  const h = createHash('sha256');
  for (const ext of [...snap.accounts.keys()].sort()) h.update(`a\u0000${ext}\u0000${snap.accounts.get(ext)!.status}\n`);
  for (const key of [...snap.grants.keys()].sort()) h.update(`g\u0000${key}\n`);
  return h.digest('hex');
}
