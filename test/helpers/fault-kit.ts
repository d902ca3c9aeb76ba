import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './attest-process.js';
import { BOT_TOKEN, SIGNING_SECRET } from './serve.js';
import { SlackRequester } from './slack-request.js';
import { freePort } from './spawn-serve.js';

/**
 * The fault-injection kit: spawn a real `attest` process, wait for a condition, SIGKILL it at a
 * moment drawn from a seeded PRNG, restart, and explain everything when an invariant breaks.
 *
 * Seeds: FAULT_SEED=<n> replays a run's kill delays (the system's own timing is not replayable,
 * but the delays, batch choices and kill kinds are). Each scenario derives its own stream from
 * the seed and its name, so one seed drives every file.
 */

const CLI = join(ROOT, 'src/cli/run.ts');
const TSX = import.meta.resolve('tsx');

export interface Rng {
  readonly seed: number;
  /** [0, 1) */
  next(): number;
  /** A float in [lo, hi). */
  between(lo: number, hi: number): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  shuffle<T>(xs: readonly T[]): T[];
}

/** mulberry32: small and the same on every machine. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    seed,
    next,
    between: (lo, hi) => lo + next() * (hi - lo),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    shuffle: (xs) => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
  return rng;
}

function hash32(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** FAULT_SEED, or a fresh one (printed, so a failure can be replayed). */
export function faultSeed(): number {
  const given = process.env.FAULT_SEED;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 0) throw new Error(`FAULT_SEED must be a non-negative integer, not ${given}`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

export interface KillPoint {
  n: number;
  label: string;
  /** ms after the reference moment (spawn, first request, …) the kill was scheduled at. */
  delayMs: number;
  /** The process was still alive when SIGKILL was sent (otherwise it had already finished). */
  landed: boolean;
  note?: string;
}

export interface Tracked {
  name: string;
  output(): string;
}

/** One scenario's run: its seed and PRNG, its kill points, and the output of every child it spawned. */
export class FaultRun {
  readonly seed: number;
  readonly rng: Rng;
  readonly kills: KillPoint[] = [];
  readonly notes: string[] = [];
  private readonly children: Tracked[] = [];
  private readonly started = Date.now();

  constructor(readonly scenario: string, readonly file: string) {
    this.seed = faultSeed();
    this.rng = seededRng(this.seed ^ hash32(scenario));
    console.log(`[faults] ${scenario}: seed ${this.seed} (replay: FAULT_SEED=${this.seed} TEST_DATABASE_URL=… npx vitest run ${file})`);
  }

  track(t: Tracked): void {
    this.children.push(t);
  }

  note(line: string): void {
    this.notes.push(line);
    console.log(`[faults] ${this.scenario}: ${line}`);
  }

  recordKill(k: Omit<KillPoint, 'n'>): KillPoint {
    const point = { n: this.kills.length + 1, ...k };
    this.kills.push(point);
    console.log(
      `[faults] ${this.scenario}: kill #${point.n} ${point.label} at +${Math.round(point.delayMs)} ms: ${point.landed ? 'SIGKILL landed' : 'process had already exited'}${point.note ? ` (${point.note})` : ''}`,
    );
    return point;
  }

  landed(): number {
    return this.kills.filter((k) => k.landed).length;
  }

  /** For failure messages: the seed, the kill points, the notes, and the tail of every child's output. */
  explain(tailChars = 3000): string {
    const kills = this.kills.map((k) => `  #${k.n} ${k.label} +${Math.round(k.delayMs)} ms ${k.landed ? 'landed' : 'missed'}${k.note ? ` (${k.note})` : ''}`);
    const outputs = this.children.map((c) => {
      const out = c.output();
      return `--- ${c.name} (${out.length} chars) ---\n${out.length > tailChars ? `…${out.slice(-tailChars)}` : out || '(no output)'}`;
    });
    return [
      `scenario ${this.scenario}, seed ${this.seed} (replay with FAULT_SEED=${this.seed}), ${Math.round((Date.now() - this.started) / 1000)} s in`,
      `kill points:\n${kills.join('\n') || '  (none yet)'}`,
      ...(this.notes.length ? [`notes:\n${this.notes.map((n) => `  ${n}`).join('\n')}`] : []),
      ...outputs.slice(-8),
    ].join('\n');
  }

  summary(): string {
    return `[faults] ${this.scenario}: seed ${this.seed}, ${this.kills.length} kill points (${this.landed()} landed), ${Math.round((Date.now() - this.started) / 1000)} s`;
  }
}

export interface Proc extends Tracked {
  child: ChildProcess;
  /** Resolves when the process has exited, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** Date.now() when it exited (undefined while it runs). */
  exitedAt(): number | undefined;
  stdout(): string;
  stderr(): string;
}

let spawned = 0;

/**
 * A real `attest …` child (tsx from source, as `npm run attest` runs it) in `cwd` with exactly
 * `env`. A guard SIGKILLs it after `guardMs` so no wait can hang the suite.
 */
export function spawnAttest(args: string[], opts: { cwd: string; env: Record<string, string>; name?: string; guardMs?: number }): Proc {
  spawned += 1;
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
    stdout += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
    stderr += b.toString();
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), opts.guardMs ?? 180_000);
  let exitedAt: number | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(guard);
      exitedAt = Date.now();
      out += `\n[exit: ${signal ?? code}]`;
      resolve({ code, signal });
    }),
  );
  return {
    name: opts.name ?? `attest ${args.join(' ')} #${spawned}`,
    child,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    exitedAt: () => exitedAt,
    output: () => out,
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

/** SIGKILL now; resolves once the process is gone. `landed`: it was still running. */
export async function sigkill(p: Proc): Promise<boolean> {
  const landed = p.alive();
  if (landed) p.child.kill('SIGKILL');
  await p.exited;
  return landed;
}

/** Waits `delayMs`, then SIGKILLs `p` and records the kill point. */
export async function killAfter(run: FaultRun, p: Proc, delayMs: number, label: string, note?: () => string | undefined): Promise<KillPoint> {
  if (delayMs > 0) await Promise.race([sleep(delayMs), p.exited]);
  const extra = note?.();
  const landed = await sigkill(p);
  return run.recordKill({ label, delayMs, landed, ...(extra ? { note: extra } : {}) });
}

/** Polls `check` until it returns something other than undefined/false; throws with context after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  opts: { timeoutMs: number; intervalMs?: number; explain?: () => string; abortIf?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    const abort = opts.abortIf?.();
    if (abort) throw new Error(`gave up waiting for ${what}: ${abort}\n${opts.explain?.() ?? ''}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}\n${opts.explain?.() ?? ''}`);
    await sleep(opts.intervalMs ?? 100);
  }
}

/** A scratch directory (no .env in it) for a child's cwd and HOME. */
export function scratchDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The environment every child gets: nothing from ours but PATH. */
export function baseEnv(cwd: string, databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, ...extra };
}

/** Runs `attest <args> --json` to the end; throws with its output unless it exits 0 with one JSON document. */
export async function attestJson<T = Record<string, unknown>>(run: FaultRun, args: string[], opts: { cwd: string; env: Record<string, string>; guardMs?: number }): Promise<T> {
  const p = spawnAttest([...args, '--json'], { ...opts, name: `attest ${args.join(' ')} --json` });
  run.track(p);
  const { code, signal } = await p.exited;
  if (code !== 0) throw new Error(`attest ${args.join(' ')} --json exited with ${signal ?? code}\n${run.explain()}`);
  try {
    return JSON.parse(p.stdout()) as T;
  } catch {
    throw new Error(`attest ${args.join(' ')} --json printed no JSON document:\n${p.output()}\n${run.explain()}`);
  }
}

/** `attest verify --json` against the database (the real CLI). */
export function verifyChain(run: FaultRun, opts: { cwd: string; env: Record<string, string> }) {
  return attestJson<{ ok: boolean; events: number; head: string; firstBad?: number }>(run, ['verify'], opts);
}

/** A `attest serve` that a test kills and restarts; every incarnation's output stays in the run's explanation. */
export class ServeUnderFault {
  current: (Proc & { url: string; slack: SlackRequester }) | undefined;
  incarnations = 0;
  private readonly dir = scratchDir('attest-fault-serve');

  constructor(
    private readonly run: FaultRun,
    private readonly opts: { databaseUrl: string; slackApiUrl: string; env?: Record<string, string> },
  ) {}

  /** Spawns a new incarnation; with `healthy` (default) resolves once /healthz answers. */
  async start(opts: { healthy?: boolean } = {}): Promise<Proc & { url: string; slack: SlackRequester }> {
    if (this.current?.alive()) throw new Error('ServeUnderFault.start: the previous incarnation is still running');
    this.incarnations += 1;
    const port = await freePort();
    const env = baseEnv(this.dir.path, this.opts.databaseUrl, {
      PORT: String(port),
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: this.opts.slackApiUrl,
      // The hourly sync must not run in the middle of a scenario.
      SYNC_SCHEDULE: '0 0 1 1 *',
      ...this.opts.env,
    });
    const p = spawnAttest(['serve'], { cwd: this.dir.path, env, name: `serve #${this.incarnations}`, guardMs: 600_000 });
    const url = `http://127.0.0.1:${port}`;
    const proc = Object.assign(p, { url, slack: new SlackRequester(url, SIGNING_SECRET) });
    this.run.track(proc);
    this.current = proc;
    if (opts.healthy ?? true) await this.healthy();
    return proc;
  }

  async healthy(timeoutMs = 90_000): Promise<void> {
    const p = this.current!;
    await waitUntil(`serve #${this.incarnations} to answer /healthz`, () => fetch(`${p.url}/healthz`).then((r) => r.ok, () => false), {
      timeoutMs,
      intervalMs: 150,
      explain: () => this.run.explain(),
      abortIf: () => (p.alive() ? undefined : `serve #${this.incarnations} exited`),
    });
  }

  /** SIGKILL the current incarnation after `delayMs`. */
  kill(delayMs: number, label: string, note?: () => string | undefined): Promise<KillPoint> {
    return killAfter(this.run, this.current!, delayMs, `${label} (serve #${this.incarnations})`, note);
  }

  /** SIGTERM, then SIGKILL after 15 s; removes the scratch directory. */
  async stop(): Promise<void> {
    const p = this.current;
    if (p?.alive()) {
      p.child.kill('SIGTERM');
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
      await p.exited;
      clearTimeout(timer);
    }
    this.dir.remove();
  }
}
