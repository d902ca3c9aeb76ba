import type { Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines } from '../output.js';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (Postgres when DATABASE_URL is set, else PGlite under DATA_DIR)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      const kind = await withRuntime(async (rt) => rt.database.kind);
      if (opts.json) printJson({ ok: true, database: kind });
      else printLines(`Migrations applied (${kind}).`);
    });
}
