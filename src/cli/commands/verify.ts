import type { Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines } from '../output.js';
import { verifyChain } from '../../domain/evidence/verify-chain.js';
import { AppError } from '../../errors.js';

export function register(program: Command): void {
  program
    .command('verify')
    .description('walk the whole evidence chain and check every link; exits 1 on a broken chain')
    .option('--json', 'print {ok, events, head, firstBad?}')
    .action(async (opts: { json?: boolean }) => {
      const report = await withRuntime((rt) => verifyChain(rt.deps.db));
      if (opts.json) printJson(report);
      else if (report.ok) printLines(`Evidence chain intact: ${report.events} events, head ${report.head}`);
      if (!report.ok) {
        // The message names the first bad sequence number; with --json it is in `firstBad`.
        throw new AppError('INTEGRITY', `Evidence chain broken at event ${report.firstBad}: ${report.reason}`);
      }
    });
}
