import type { Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines } from '../output.js';
import { AppError } from '../../errors.js';
import type { PeriodInput } from '../../domain/evidence/export/parse-period.js';
import { checkPeriod } from '../../domain/evidence/export/parse-period.js';
import { currentFindings, type CurrentFindings } from '../../domain/evidence/findings/current-findings.js';

interface FindingsFlags {
  campaign?: string;
  quarter?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('findings')
    .description('list the current findings of every rule (what the next evidence bundle would report)')
    .option('--campaign <id>', 'one campaign, from its creation to its close')
    .option('--quarter <quarter>', 'a calendar quarter in UTC, such as 2026-Q4 (default: the current one)')
    .option('--from <date>', 'start of a range (2026-10-01 or an ISO date-time with a zone)')
    .option('--to <date>', 'end of a range; a bare date includes that whole day')
    .option('--json', 'print one JSON document {period, findings: [...]}')
    .action(async (flags: FindingsFlags) => {
      const period = periodOf(flags);
      // Checked before the database is opened: a typo answers at once, with exit code 2.
      if (period) checkPeriod(period);
      const result = await withRuntime((rt) => currentFindings(rt.deps, period));
      if (flags.json) {
        const p = result.period;
        printJson({ period: { label: p.label, from: p.from.toISOString(), to: p.to.toISOString(), asOf: p.asOf.toISOString(), campaigns: p.campaigns.map((c) => c.id) }, findings: result.findings });
      } else printLines(...describe(result));
    });
}

/** No period flag: the current quarter (decided once the clock is at hand). */
function periodOf(f: FindingsFlags): PeriodInput | undefined {
  const kinds = [f.campaign !== undefined, f.quarter !== undefined, f.from !== undefined || f.to !== undefined].filter(Boolean).length;
  if (kinds === 0) return undefined;
  if (kinds > 1) throw new AppError('INVALID_INPUT', 'Give at most one of --campaign ID, --quarter 2026-Q4, or --from DATE --to DATE', { field: 'period' });
  if (f.campaign !== undefined) return { campaignId: f.campaign };
  if (f.quarter !== undefined) return { quarter: f.quarter };
  if (f.from === undefined || f.to === undefined) throw new AppError('INVALID_INPUT', 'A range needs both --from and --to', { field: f.from === undefined ? 'from' : 'to' });
  return { from: f.from, to: f.to };
}

function describe(r: CurrentFindings): string[] {
  const head = `Findings for ${r.period.label} as of ${r.period.asOf.toISOString()}: ${r.findings.length}`;
  if (r.findings.length === 0) return [head, '  none'];
  return [head, ...r.findings.map((f) => `  ${f.severity.padEnd(6)} ${f.type}  ${f.subject}: ${f.detail}`)];
}
