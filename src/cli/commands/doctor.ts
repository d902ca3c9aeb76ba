import type { Command } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../../config.js';
import { invalidConfigReport, runDoctor } from '../../domain/doctor/run-doctor.js';
import type { CheckResult, DoctorReport } from '../../domain/doctor/types.js';
import { AppError, isAppError } from '../../errors.js';
import { doctorPorts } from '../doctor-runtime.js';
import { printJson, printLines } from '../output.js';

const MARK = { ok: '[ok]  ', warn: '[warn]', fail: '[FAIL]' } as const;

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'preflight: configuration, database (not migrated by this command), Slack token, scopes and channel, identity sources, Slack links; exits 78 when a check fails',
    )
    .option('--json', 'print {ok, checks: [{name, status: "ok"|"warn"|"fail", detail, fix}]} (fix is null when ok)')
    .action(async (opts: { json?: boolean }) => {
      const report = await diagnose();
      if (opts.json) printJson(report);
      else printLines(...render(report));
      const failed = report.checks.filter((c) => c.status === 'fail');
      // A failed check is something to configure: the configuration exit code (78), like `serve` without Slack variables.
      if (failed.length > 0) throw new AppError('CONFIG', `${failed.length} of ${report.checks.length} checks failed: ${failed.map((c) => c.name).join(', ')}`);
    });
}

async function diagnose(): Promise<DoctorReport> {
  loadDotenv({ quiet: true });
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (isAppError(err, 'CONFIG')) return invalidConfigReport(err.message);
    throw err;
  }
  const ports = doctorPorts(config);
  try {
    return await runDoctor(ports);
  } finally {
    await ports.close();
  }
}

function render(report: DoctorReport): string[] {
  const lines = report.checks.flatMap(line);
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const summary = failed > 0 ? `${failed} failed, ${warned} warnings.` : warned > 0 ? `No failures; ${warned} warnings.` : 'Every check passed.';
  return [...lines, '', summary];
}

function line(c: CheckResult): string[] {
  const [first = '', ...rest] = c.detail.split('\n');
  const out = [`${MARK[c.status]} ${c.name}: ${first}`, ...rest.map((l) => `         ${l}`)];
  if (c.fix) out.push(`       fix: ${c.fix}`);
  return out;
}
