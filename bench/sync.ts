/**
 * bench/sync: a 10,000-user Okta org (1,000 groups, 100,000 memberships, 300 apps, 60,000
 * assignments) behind 50 ms of latency per response, synced once and then re-synced unchanged,
 * on PGlite and on Postgres. Each phase runs in its own process, so its peak memory is its own,
 * and the fake Okta runs in another. Prints one JSON document per database.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { count } from 'drizzle-orm';
import postgres from 'postgres';
import { createOktaConnector } from '../src/connectors/okta/index.js';
import { openDatabase } from '../src/db/client.js';
import { evidenceEvent } from '../src/db/schema/index.js';
import { runSync } from '../src/domain/directory/run-sync.js';
import { testDeps } from '../test/helpers/deps.js';

const IN_FLIGHT = 8;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const here = new URL('.', import.meta.url).pathname;

const [phase, target, oktaUrl] = process.argv.slice(2);
if (phase === 'phase') await measure(target!, oktaUrl!);
else await orchestrate(process.argv.slice(2));

async function lines(child: ReturnType<typeof spawn>): Promise<string[]> {
  const out: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => out.push(l));
  await new Promise((resolve) => child.on('exit', resolve));
  return out;
}

async function orchestrate(only: string[]) {
  for (const kind of only.length > 0 ? only : ['pglite', 'postgres']) {
    const server = spawn(process.execPath, ['--import', 'tsx', `${here}_okta-server.ts`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const first = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
    const { url, minimumRequests } = JSON.parse(first) as { url: string; minimumRequests: number };
    const name = `attest_bench_${randomBytes(4).toString('hex')}`;
    let target: string;
    if (kind === 'postgres') {
      const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      await admin.end();
      const u = new URL(PG_BASE);
      u.pathname = `/${name}`;
      target = u.toString();
    } else {
      target = mkdtempSync(join(tmpdir(), 'attest-bench-'));
    }
    const phases: Record<string, unknown> = {};
    for (const label of ['firstSync', 'unchangedResync']) {
      const child = spawn(process.execPath, ['--import', 'tsx', `${here}sync.ts`, 'phase', target, url], { stdio: ['ignore', 'pipe', 'inherit'] });
      const out = await lines(child);
      phases[label] = { ...JSON.parse(out.at(-1) ?? '{}'), minimumRequests };
    }
    server.kill('SIGTERM');
    if (kind === 'postgres') {
      const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    } else {
      rmSync(target, { recursive: true, force: true });
    }
    process.stdout.write(`${JSON.stringify({ bench: 'sync', database: kind, latencyMs: LATENCY_MS, inFlight: IN_FLIGHT, ...phases }, null, 2)}\n`);
  }
}

async function measure(target: string, url: string) {
  const database = await openDatabase(target.startsWith('postgres') ? { url: target } : { dataDir: target });
  await database.migrate();
  const deps = testDeps(database.db);
  deps.clock.set(new Date());
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const connector = createOktaConnector({ orgUrl: url, apiToken: 'bench-token', maxInFlight: IN_FLIGHT });
  const before = (await database.db.select({ n: count() }).from(evidenceEvent))[0]!.n;
  const started = performance.now();
  const report = await runSync(deps, connector);
  const wallMs = Math.round(performance.now() - started);
  clearInterval(sampler);
  const after = (await database.db.select({ n: count() }).from(evidenceEvent))[0]!.n;
  const floorMs = Math.round((report.requests * LATENCY_MS) / IN_FLIGHT);
  await database.close();
  process.stdout.write(
    `${JSON.stringify({
      status: report.status,
      wallMs,
      requests: report.requests,
      floorMs,
      ratioToFloor: Number((wallMs / floorMs).toFixed(2)),
      peakRssMb: Math.round(peakRss / 1048576),
      accounts: report.accounts,
      grants: report.grants,
      added: report.added,
      removed: report.removed,
      changed: report.changed,
      evidenceEventsWritten: after - before,
    })}\n`,
  );
}
