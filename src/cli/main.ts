import { Command, CommanderError } from 'commander';
import { AppError, EXIT_CODES } from '../errors.js';
import { printJson, printed } from './output.js';

/** Each command lives in its own file with a `register(program)`; this entry only wires them. */
const COMMANDS = ['serve', 'migrate', 'sync', 'verify', 'roles', 'campaign', 'offboard', 'onboard', 'templates', 'export', 'findings', 'doctor', 'keys', 'checkpoint', 'digest'] as const;

export async function buildProgram(): Promise<Command> {
  const program = new Command('attest')
    .description('Access reviews, joiner/leaver workflows and SOC 2 evidence, in Slack')
    .showHelpAfterError('(run attest --help for usage)')
    .exitOverride();
  for (const name of COMMANDS) {
    const mod = (await import(`./commands/${name}.js`)) as { register(p: Command): void };
    mod.register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = report(err, argv.includes('--json'));
  }
}

function report(err: unknown, json: boolean): number {
  if (err instanceof CommanderError) {
    // --help and --version arrive here too, with exit code 0.
    return err.exitCode;
  }
  if (err instanceof AppError) {
    if (json && !printed()) printJson({ ok: false, error: { code: err.code, message: err.message } });
    process.stderr.write(`attest: ${err.message}\n`);
    return EXIT_CODES[err.code];
  }
  process.stderr.write(`attest: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
