import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/run.ts');
const TSX = import.meta.resolve('tsx');

export interface AttestRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The real `attest` process, in `cwd` (no .env there) with exactly `env`. */
export function runAttest(cwd: string, env: Record<string, string>, args: string[]): Promise<AttestRun> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}
