import type { Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines } from '../output.js';
import { cliActor } from '../actor.js';
import { getCase, type CaseView } from '../../domain/lifecycle/get-case.js';
import { parseCaseTime } from '../../domain/lifecycle/parse-case-time.js';
import { registryFromConfig } from '../../domain/lifecycle/registry-from-config.js';
import { startOffboarding } from '../../domain/lifecycle/start-offboarding.js';

interface OffboardFlags {
  effective?: string;
  reason?: string;
  notes?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('offboard <email>')
    .description('open an offboarding case: a removal task for every account and grant the person holds')
    .option('--effective <date-time>', 'when access must end (default now); a bare date is the start of that day in TZ')
    .option('--reason <category>', 'reason category, e.g. resignation, termination, contract_end', 'terminated')
    .option('--notes <text>', 'free-text notes kept with the case')
    .option('--json', 'print the case as one JSON document')
    .action(async (email: string, flags: OffboardFlags) => {
      // The CLI runs as the operator, who already has the database: no role check, the OS user is the actor.
      const { view, created } = await withRuntime(async (rt) => {
        const effectiveAt = flags.effective ? parseCaseTime(flags.effective, { tz: rt.config.TZ, field: 'effective' }) : undefined;
        const res = await startOffboarding(rt.deps, registryFromConfig(rt.config, rt.deps.logger), {
          person: email,
          ...(effectiveAt ? { effectiveAt } : {}),
          reasonCategory: flags.reason ?? 'terminated',
          notes: flags.notes ?? null,
          actor: cliActor(),
          origin: 'cli',
        });
        return { view: await getCase(rt.deps.db, res.caseId), created: res.created };
      });
      if (flags.json) printJson({ ...view, created });
      else printLines(...(created ? [] : ['An offboarding case was already open; showing it.']), ...describeCase(view));
    });
}

/** A case for a terminal: header, every task with owner and deadline, then the timeline. */
export function describeCase(c: CaseView): string[] {
  const who = c.person ? `${c.person.name || c.person.email} <${c.person.email}>` : 'unknown person';
  const lines = [
    `${c.kind === 'offboard' ? 'Offboarding' : 'Onboarding'} case ${c.id} for ${who}: ${c.status}`,
    `  effective ${c.effectiveAt?.toISOString() ?? '-'}, due ${c.dueAt?.toISOString() ?? '-'}`,
    `Tasks (${c.tasks.length}):`,
  ];
  for (const t of c.tasks) {
    const owner = t.automated ? 'automated' : t.ownerName ? `owner ${t.ownerName}` : `role ${t.ownerRole ?? 'it'}`;
    const state = t.verified ? 'verified' : t.status;
    lines.push(`  [${state}] ${t.description} (${owner}; due ${t.deadline?.toISOString() ?? '-'})  task ${t.id}`);
  }
  lines.push('Timeline:');
  for (const e of c.timeline) lines.push(`  ${e.at.toISOString()}  ${e.detail}${e.actor ? ` (${e.actor})` : ''}`);
  return lines;
}
