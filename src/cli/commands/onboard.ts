import type { Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines } from '../output.js';
import { cliActor } from '../actor.js';
import { getCase } from '../../domain/lifecycle/get-case.js';
import { parseCaseTime } from '../../domain/lifecycle/parse-case-time.js';
import { registryFromConfig } from '../../domain/lifecycle/registry-from-config.js';
import { startOnboarding } from '../../domain/lifecycle/start-onboarding.js';
import { describeCase } from './offboard.js';

interface OnboardFlags {
  email: string;
  name: string;
  manager?: string;
  department?: string;
  title?: string;
  start: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('onboard')
    .description('open an onboarding case: birthright access from the matching templates, ready on the start date')
    .requiredOption('--email <email>', "the new hire's email")
    .requiredOption('--name <name>', "the new hire's full name")
    .option('--manager <email>', "the manager's email")
    .option('--department <department>', 'department (matched against templates)')
    .option('--title <title>', 'job title (matched against templates)')
    .requiredOption('--start <date>', 'start date (2026-11-02 = start of that day in TZ) or ISO date-time')
    .option('--json', 'print the case as one JSON document')
    .action(async (flags: OnboardFlags) => {
      const { view, created } = await withRuntime(async (rt) => {
        const res = await startOnboarding(rt.deps, registryFromConfig(rt.config, rt.deps.logger), {
          email: flags.email,
          name: flags.name,
          managerEmail: flags.manager ?? null,
          department: flags.department ?? null,
          title: flags.title ?? null,
          startDate: parseCaseTime(flags.start, { tz: rt.config.TZ, field: 'start' }),
          actor: cliActor(),
          origin: 'cli',
        });
        return { view: await getCase(rt.deps.db, res.caseId), created: res.created };
      });
      if (flags.json) printJson({ ...view, created });
      else printLines(...(created ? [] : ['An onboarding case was already open; showing it.']), ...describeCase(view));
    });
}
