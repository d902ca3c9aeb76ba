import type { Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines } from '../output.js';
import { AppError } from '../../errors.js';
import { cliActor } from '../actor.js';
import { exportBundle, type ExportResult } from '../../domain/evidence/export/export-bundle.js';
import { checkPeriod, type PeriodInput } from '../../domain/evidence/export/parse-period.js';

interface ExportFlags {
  campaign?: string;
  quarter?: string;
  from?: string;
  to?: string;
  out?: string;
  json?: boolean;
}

const USAGE = 'give one of --campaign ID, --quarter 2026-Q4, or --from DATE --to DATE';

export function register(program: Command): void {
  program
    .command('export')
    .description('write the evidence bundle (zip) of a campaign, a quarter or a date range')
    .option('--campaign <id>', 'one campaign, from its creation to its close')
    .option('--quarter <quarter>', 'a calendar quarter in UTC, such as 2026-Q4')
    .option('--from <date>', 'start of a range (2026-10-01 or an ISO date-time with a zone)')
    .option('--to <date>', 'end of a range; a bare date includes that whole day')
    .option('--out <file>', 'where to write the zip')
    .option('--json', 'print {file, sha256, files}')
    .action(async (flags: ExportFlags) => {
      const period = periodOf(flags);
      // Checked before the database is opened: a typo answers at once, with exit code 2.
      checkPeriod(period);
      if (!flags.out) throw new AppError('INVALID_INPUT', 'Say where to write the bundle: --out FILE.zip', { field: 'out' });
      const out = flags.out;
      const result = await withRuntime((rt) => exportBundle(rt.deps, { period, out, actor: cliActor() }));
      if (flags.json) printJson({ file: result.file, sha256: result.sha256, files: result.files });
      else printLines(...describe(result));
    });
}

function periodOf(f: ExportFlags): PeriodInput {
  const kinds = [f.campaign !== undefined, f.quarter !== undefined, f.from !== undefined || f.to !== undefined].filter(Boolean).length;
  if (kinds !== 1) throw new AppError('INVALID_INPUT', `No single period: ${USAGE}`, { field: 'period' });
  if (f.campaign !== undefined) return { campaignId: f.campaign };
  if (f.quarter !== undefined) return { quarter: f.quarter };
  if (f.from === undefined || f.to === undefined) throw new AppError('INVALID_INPUT', `A range needs both --from and --to: ${USAGE}`, { field: f.from === undefined ? 'from' : 'to' });
  return { from: f.from, to: f.to };
}

function describe(r: ExportResult): string[] {
  const rows = (name: string) => `${r.rows[name] ?? 0}`;
  return [
    `Wrote ${r.file} (${(r.bytes / 1024).toFixed(1)} KiB)`,
    `  sha256      ${r.sha256}`,
    `  period      ${r.period.label}: ${r.period.from} to ${r.period.to}, ${r.period.campaigns} campaign(s)`,
    `  population  ${rows('population.csv')} items; ${rows('remediation.csv')} revocations; ${rows('terminations.csv')} termination rows; ${rows('access-requests.csv')} grants; ${rows('findings.csv')} findings`,
    `  reviewers   ${rows('signoffs.csv')} (sign-offs in signoffs.csv); ${rows('exceptions.csv')} exceptions`,
    `  evidence    ${r.events} events, chain head ${r.chainHead}`,
    `  files       ${r.files.join(', ')}`,
    ...(r.keyId
      ? [
          `  signed      by key ${r.keyId}${r.checkpoint ? `; checkpoint at event ${r.checkpoint.seq}` : ''}`,
          `Check it any time with: attest verify --bundle ${r.file} --fingerprint ${r.keyId}`,
        ]
      : [`  signed      no (set ATTEST_SIGNING_KEY to sign bundles)`, `Check it any time with: attest verify --bundle ${r.file}`]),
  ];
}
