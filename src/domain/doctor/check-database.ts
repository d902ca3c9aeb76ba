import type { JournalEntry } from './read-journal.js';
import { messageOf } from './run-checks.js';
import { fail, ok, warn, type Check } from './types.js';

/** What the database check needs; the CLI opens the database *without* migrating it. */
export interface DatabaseProbe {
  /** Where it is, for the operator (never the URL itself: it may carry a password). */
  where: string;
  /** Which variable chooses it, for the fix. */
  variable: 'DATABASE_URL' | 'DATA_DIR';
  /** Throws when the database cannot be reached or opened. */
  ping(): Promise<void>;
  /** `when` of each applied migration, or null when the database was never migrated. */
  appliedMigrations(): Promise<number[] | null>;
}

export const DATABASE_CHECK = 'database';

/**
 * Reachable, and applied exactly what this build ships. Drizzle applies every journal entry newer
 * than the newest applied one, so that is what "pending" means here too.
 */
export function databaseCheck(probe: DatabaseProbe, journal: () => Promise<JournalEntry[]>): Check {
  return {
    name: DATABASE_CHECK,
    async run() {
      try {
        await probe.ping();
      } catch (err) {
        return fail(`cannot open the database (${probe.where}): ${messageOf(err)}`, `check ${probe.variable}; on PGlite, stop any other attest process using the same DATA_DIR`);
      }
      const shipped = await journal();
      const applied = await probe.appliedMigrations();
      const migrate = 'run `attest migrate` (or start `attest serve`, which migrates first)';
      if (applied === null || applied.length === 0) {
        return fail(`${probe.where} has no Attest tables: 0 of ${shipped.length} migrations applied`, migrate);
      }
      const newest = Math.max(...applied);
      const pending = shipped.filter((m) => m.when > newest);
      if (pending.length > 0) {
        return fail(
          `${probe.where} is behind this version: ${pending.length} of ${shipped.length} migrations not applied (${pending.map((m) => m.tag).join(', ')})`,
          migrate,
        );
      }
      const known = new Set(shipped.map((m) => m.when));
      const unknown = applied.filter((w) => !known.has(w)).length;
      if (unknown > 0) {
        return warn(
          `${probe.where} has ${unknown} migration(s) this version of Attest does not know: it was migrated by a newer version`,
          'run the newest version of Attest against this database',
        );
      }
      return ok(`${probe.where} is reachable and up to date (${shipped.length} migrations)`);
    },
  };
}
