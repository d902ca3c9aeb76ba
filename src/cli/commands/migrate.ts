import type { Command } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../../config.js';
import { grantRuntimeRole, type RuntimeGrants } from '../../db/grant-runtime-role.js';
import { AppError } from '../../errors.js';
import { withRuntime } from '../runtime.js';
import { printJson, printLines } from '../output.js';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (Postgres when DATABASE_URL is set, else PGlite under DATA_DIR)')
    .option('--grant-to <role>', "then grant this Postgres role what `serve` needs and no more (default: ATTEST_APP_ROLE); run with the owner's DATABASE_URL")
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean; grantTo?: string }) => {
      loadDotenv({ quiet: true });
      const config = loadConfig();
      const role = opts.grantTo ?? config.ATTEST_APP_ROLE;
      // Refused before anything changes, and with a non-zero exit rather than a warning: whoever
      // asks for a restricted role is relying on evidence the application cannot rewrite, and on
      // PGlite nothing can give them that. Succeeding would leave them believing they have it.
      if (role !== undefined && !config.DATABASE_URL) {
        throw new AppError(
          'CONFIG',
          `cannot grant to "${role}": PGlite is single-user, database roles do not apply, and anyone who can write DATA_DIR can edit the evidence; set DATABASE_URL to Postgres (the owner's URL) to use a restricted runtime role, or drop ${opts.grantTo ? '--grant-to' : 'ATTEST_APP_ROLE'} (README: Two database roles)`,
        );
      }
      const result = await withRuntime(async (rt) => ({
        kind: rt.database.kind,
        grants: role === undefined ? undefined : await grantRuntimeRole(rt.database.db, role),
      }));
      if (opts.json) printJson({ ok: true, database: result.kind, ...(result.grants ? { grantedTo: result.grants.role } : {}) });
      else printLines(`Migrations applied (${result.kind}).`, ...(result.grants ? describe(result.grants) : []));
    });
}

function describe(g: RuntimeGrants): string[] {
  return [
    `Granted to ${g.role}: USAGE on schema public; SELECT, INSERT on ${g.appendOnly.join(', ')} (no UPDATE, DELETE, TRUNCATE);`,
    `  SELECT, INSERT, UPDATE, DELETE on ${g.tables.length} other tables; USAGE, SELECT on ${g.sequences.length} sequences; SELECT on drizzle.__drizzle_migrations.`,
    `Run \`attest serve\` with ${g.role}'s DATABASE_URL; after each upgrade, run \`attest migrate --grant-to ${g.role}\` again as the owner.`,
  ];
}
