import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOT_TOKEN, SIGNING_SECRET } from './serve.js';
import { SlackRequester } from './slack-request.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/run.ts');
const TSX = import.meta.resolve('tsx');

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Signs and posts to this process's /slack/events. */
  slack: SlackRequester;
  /** What it wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago; the child binds it, so a clash fails loudly at start. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export interface SpawnServeOptions {
  /** Postgres; give this or `dataDir`. */
  databaseUrl?: string;
  /** Embedded PGlite in this directory (no other process may hold it while serve runs). */
  dataDir?: string;
  slackApiUrl: string;
  /** Added to (or overriding) the defaults; an empty string unsets a variable for the config. */
  env?: Record<string, string>;
  /** How long to wait for /healthz (default 30 s). */
  startTimeoutMs?: number;
}

/**
 * A real `attest serve` child (tsx, as `npm run attest` runs it) against `databaseUrl` (or
 * PGlite under `dataDir`) and a fake Slack, resolved once /healthz answers. It runs from an
 * empty directory so no .env is read.
 */
export async function spawnServe(opts: SpawnServeOptions): Promise<ServeProcess> {
  if (!opts.databaseUrl === !opts.dataDir) throw new Error('spawnServe: give exactly one of databaseUrl and dataDir');
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'attest-serve-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: cwd,
    // Its temp files (Slack exports) stay in its own directory, out of other tests' way.
    TMPDIR: cwd,
    TZ: 'UTC',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : { DATA_DIR: opts.dataDir! }),
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: opts.slackApiUrl,
    ...opts.env,
  };
  const child = spawn(process.execPath, ['--import', TSX, CLI, 'serve'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const proc: ServeProcess = {
    url,
    child,
    slack: new SlackRequester(url, SIGNING_SECRET),
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
  const waitMs = opts.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`attest serve exited with ${child.exitCode}:\n${out}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return proc;
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`attest serve did not answer /healthz within ${waitMs / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
