import type { Command } from 'commander';
import { AppError } from '../../errors.js';

export function register(program: Command): void {
  program
    .command('sync')
    .description('read identity sources and apply what changed (okta, google, file)')
    .option('--source <source>', 'only this source: okta, google or file')
    .option('--dry-run', 'print the difference without applying it')
    .option('--json', 'print one JSON document per source')
    .action(() => {
      throw new AppError('CONFIG', 'attest sync is not available in this build yet');
    });
}
