import type { Deps } from '../deps.js';
import { writeControlDigest } from '../domain/controls/write-control-digest.js';
import type { JobDefinition } from './scheduler.js';

/**
 * The weekly control digest on DIGEST_SCHEDULE: figures since the last digest, kept as evidence
 * and posted once to the compliance channel. The scheduler's slot row lets one replica run each
 * slot.
 */
export function controlDigestJob(deps: Pick<Deps, 'db' | 'clock' | 'config'>): JobDefinition {
  return {
    name: 'control-digest',
    schedule: deps.config.DIGEST_SCHEDULE,
    run: async () => {
      const d = await writeControlDigest(deps, { actor: 'job:control-digest' });
      return `digest #${d.seq}`;
    },
  };
}
