import type { Deps } from '../deps.js';
import type { SigningKey } from '../domain/evidence/signing/signing-key.js';
import { writeCheckpoint } from '../domain/evidence/checkpoint/write-checkpoint.js';
import type { JobDefinition } from './scheduler.js';

/**
 * A signed chain head on CHECKPOINT_SCHEDULE, posted to the compliance channel. One replica per
 * slot (the scheduler's slot row); a slot with no event since the last checkpoint writes
 * nothing, so a quiet night does not fill the channel.
 */
export function checkpointJob(deps: Pick<Deps, 'db' | 'clock' | 'config'>, signingKey: SigningKey): JobDefinition {
  return {
    name: 'checkpoint',
    schedule: deps.config.CHECKPOINT_SCHEDULE,
    run: async () => {
      const c = await writeCheckpoint({ ...deps, signingKey }, { actor: 'job:checkpoint' });
      return c ? `signed head ${c.seq}` : 'nothing new';
    },
  };
}
