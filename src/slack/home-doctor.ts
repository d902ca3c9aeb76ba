import { sql } from 'drizzle-orm';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { findAppliedMigrations } from '../domain/doctor/find-applied-migrations.js';
import { runDoctor } from '../domain/doctor/run-doctor.js';
import { cachedSetupChecklist, type SetupChecklist } from '../domain/home/setup-checklist.js';
import { slackDoctorProbe } from './doctor-probe.js';

/** Long enough that opening Home repeatedly costs nothing; short enough that a fix shows up soon. */
export const SETUP_CHECKLIST_TTL_MS = 5 * 60_000;

/**
 * One cache per running app (its deps object), not per module: two apps in one process (tests)
 * must not see each other's results.
 */
const caches = new WeakMap<object, () => Promise<SetupChecklist>>();

/**
 * The doctor's checks as `serve` can run them for App Home: the running process already proved
 * its request-verification secret, and identity sources are left to `attest doctor`.
 */
export function homeSetupChecklist(deps: Pick<Deps, 'db' | 'clock' | 'config'>, client: WebClient): () => Promise<SetupChecklist> {
  let cached = caches.get(deps);
  if (!cached) {
    cached = cachedSetupChecklist(deps.clock, SETUP_CHECKLIST_TTL_MS, () =>
      runDoctor({
        config: deps.config,
        database: {
          where: 'the Attest database',
          variable: deps.config.DATABASE_URL ? 'DATABASE_URL' : 'DATA_DIR',
          ping: async () => {
            await deps.db.execute(sql`select 1`);
          },
          appliedMigrations: () => findAppliedMigrations(deps.db),
        },
        db: () => deps.db,
        slack: slackDoctorProbe(client),
        skipTransport: true,
      }),
    );
    caches.set(deps, cached);
  }
  return cached;
}
