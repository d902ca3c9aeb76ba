import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { startFakeOkta, type FakeOkta, type FakeOktaOptions } from '../fakes/okta/index.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../fakes/slack-server.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { BOT_TOKEN, SIGNING_SECRET } from './serve.js';
import { spawnServe, type ServeProcess } from './spawn-serve.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/run.ts');
const TSX = import.meta.resolve('tsx');

/** A cron schedule that never comes round in a test's lifetime: a job left to the commands the test runs. */
export const NEVER = '0 0 1 1 *';

/** How much of the serve output a failure message carries (the end of it). */
const OUTPUT_TAIL = 12_000;

export interface CliRun {
  args: string[];
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The operator's path as real processes: `attest …` commands and `attest serve`, all with the
 * same environment (what an operator's .env would hold), against one database that the test
 * never writes to itself. PGlite by default (every process gets the same DATA_DIR); with
 * TEST_DATABASE_URL a fresh Postgres database of its own.
 *
 * PGlite is single-process: a command never runs while serve holds the directory (`attest`
 * refuses to, as a guard against a test bug); `pausingServe` stops serve (SIGTERM, waiting for
 * its exit), runs the commands, and starts it again. On Postgres serve keeps running, as it
 * would in production.
 *
 * Everything that happened is kept for failure messages: `explain()` gives the commands run
 * with their output and the end of every serve's output.
 */
export class Journey {
  readonly env: Record<string, string> = {};
  /** Extra variables for serve only (e.g. SLACK_APP_TOKEN for Socket Mode). */
  serveEnv: Record<string, string> = {};
  serve: ServeProcess | undefined;
  readonly runs: CliRun[] = [];
  private cwd = '';
  private pg: TestDatabase | undefined;
  private dataDir: string | undefined;
  private readonly pastServeOutput: string[] = [];
  private readonly notes: string[] = [];
  private readonly fakes: { close(): Promise<void> }[] = [];

  constructor(private readonly prefix: string) {}

  get onPostgres(): boolean {
    return this.pg !== undefined;
  }

  /** Registers beforeAll/afterAll: a fresh database before, and stopping serve and dropping after. */
  register(): this {
    beforeAll(() => this.open(), 120_000);
    afterAll(() => this.close(), 60_000);
    return this;
  }

  async open(): Promise<void> {
    this.cwd = mkdtempSync(join(tmpdir(), `attest-${this.prefix}-`));
    Object.assign(this.env, { PATH: process.env.PATH ?? '', HOME: this.cwd, TZ: 'UTC', LOG_LEVEL: 'warn' });
    if (process.env.TEST_DATABASE_URL) {
      // Only to create (and later drop) the database and learn its URL: no rows are written here.
      this.pg = await createTestDatabase();
      this.env.DATABASE_URL = this.pg.url!;
    } else {
      this.dataDir = join(this.cwd, 'data');
      this.env.DATA_DIR = this.dataDir;
    }
  }

  async close(): Promise<void> {
    await this.stopServe();
    for (const fake of [...this.fakes].reverse()) await fake.close();
    await this.pg?.drop();
    if (this.cwd) rmSync(this.cwd, { recursive: true, force: true });
  }

  /**
   * Starts a fake Okta and a fake Slack (closed with the journey) and points every process at
   * them, as an operator's .env would. The scheduled sync is off: it must not stand in for the
   * operator's `attest sync` (nor map Slack users ahead of it). `env` adds to these.
   */
  async startFakes(opts: { okta: FakeOktaOptions & { apiToken: string }; slack: FakeSlackOptions }, env: Record<string, string> = {}): Promise<{ okta: FakeOkta; slack: FakeSlack }> {
    const okta = await startFakeOkta(opts.okta);
    this.fakes.push(okta);
    const slack = await startFakeSlack(opts.slack);
    this.fakes.push(slack);
    Object.assign(this.env, {
      OKTA_ORG_URL: okta.url,
      OKTA_API_TOKEN: opts.okta.apiToken,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SYNC_SCHEDULE: NEVER,
      ...env,
    });
    return { okta, slack };
  }

  /** A path in this journey's own temporary directory. */
  path(name: string): string {
    return join(this.cwd, name);
  }

  /** A line for the failure transcript (measured times, what was observed). */
  note(line: string): void {
    this.notes.push(line);
    console.log(`[journey ${this.prefix}] ${line}`);
  }

  /** `attest <args>` as a real process with the journey's environment. */
  async attest(...args: string[]): Promise<CliRun> {
    if (this.serve && !this.onPostgres) {
      throw new Error(`test bug: "attest ${args.join(' ')}" while serve holds the PGlite DATA_DIR; use pausingServe()`);
    }
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd: this.cwd, env: this.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(timer);
    const run = { args, status, stdout, stderr, ms: Date.now() - started };
    this.runs.push(run);
    return run;
  }

  /** `attest <args> --json`: must exit 0 and print one JSON document. */
  async json<T = Record<string, unknown>>(...args: string[]): Promise<T> {
    const run = await this.attest(...args, '--json');
    if (run.status !== 0) throw new Error(`"attest ${args.join(' ')} --json" exited ${run.status}\n${this.explain()}`);
    try {
      return JSON.parse(run.stdout) as T;
    } catch {
      throw new Error(`"attest ${args.join(' ')} --json" did not print one JSON document\n${this.explain()}`);
    }
  }

  /** Starts `attest serve` (resolved once /healthz answers) with the journey's environment. */
  async startServe(): Promise<ServeProcess> {
    if (this.serve) throw new Error('test bug: serve is already running');
    const env = { ...this.env, ...this.serveEnv };
    const { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SLACK_API_URL: slackApiUrl, ...rest } = env;
    if (!slackApiUrl) throw new Error('test bug: set SLACK_API_URL in the journey environment');
    try {
      // Generous: several tsx processes on two shared cores can take half a minute to start.
      this.serve = await spawnServe({ ...(databaseUrl ? { databaseUrl } : { dataDir: dataDir! }), slackApiUrl, env: rest, startTimeoutMs: 90_000 });
    } catch (err) {
      throw new Error(`attest serve did not start\n${(err as Error).message}\n${this.explain()}`);
    }
    return this.serve;
  }

  /** SIGTERM and wait for serve to exit (it closes PGlite cleanly). */
  async stopServe(): Promise<void> {
    const s = this.serve;
    if (!s) return;
    this.serve = undefined;
    await s.stop();
    this.pastServeOutput.push(s.output());
  }

  /** On PGlite: stop serve, run `fn`, start serve again. On Postgres: run `fn` beside serve. */
  async pausingServe<T>(fn: () => Promise<T>): Promise<T> {
    if (this.onPostgres || !this.serve) return fn();
    await this.stopServe();
    const out = await fn();
    await this.startServe();
    return out;
  }

  /** What serve printed, across restarts. */
  serveOutput(): string {
    return [...this.pastServeOutput, ...(this.serve ? [this.serve.output()] : [])].map((o, i) => `--- serve #${i + 1} ---\n${o}`).join('\n');
  }

  /** The commands run, notes, and the end of serve's output: for failure messages. */
  explain(): string {
    const runs = this.runs
      .map((r) => `$ attest ${r.args.join(' ')}  → exit ${r.status} in ${r.ms} ms\n${indent(r.stdout.slice(0, 3000))}${r.stderr ? `\n  stderr:\n${indent(r.stderr.slice(-3000))}` : ''}`)
      .join('\n');
    const out = this.serveOutput();
    return [
      `database: ${this.onPostgres ? 'Postgres' : 'PGlite'}`,
      '=== commands ===',
      runs || '(none)',
      ...(this.notes.length ? ['=== notes ===', ...this.notes] : []),
      '=== serve output (end) ===',
      out.length > OUTPUT_TAIL ? `…${out.slice(-OUTPUT_TAIL)}` : out || '(serve never started)',
    ].join('\n');
  }

  /** Awaits `p`; a failure is rethrown saying what was expected, with the transcript. */
  async expecting<T>(what: string, p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (err) {
      throw new Error(`${what}\n${(err as Error).message}\n${this.explain()}`);
    }
  }

  /** Polls `probe` until it gives a value (not undefined/false); fails saying `what`. */
  async until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, everyMs = 50): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > end) throw new Error(`${what} (waited ${timeoutMs} ms)\n${this.explain()}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

function indent(s: string): string {
  return s
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
