import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the Slack app, the HTTP endpoints and the scheduler (applies migrations first)')
    .action(async () => {
      const { serve } = await import('../../main.js');
      await serve();
    });
}
