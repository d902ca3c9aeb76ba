/**
 * bench/sync: an Okta org (default 10,000 users, 1,000 groups, 100,000 memberships, 300 apps,
 * 60,000 assignments; `--users N` scales it) behind 50 ms of latency per response, synced once
 * and then re-synced unchanged, on PGlite and on Postgres. Each phase runs in its own process,
 * so its peak memory is its own, and the fake Okta runs in another. `--runs K` repeats each
 * database K times on a fresh database and reports the median wall time (and the highest peak
 * memory). Prints one JSON document per database.
 *
 *   npm run bench -- sync                              both databases, 10,000 users
 *   BENCH_USERS=100000 BENCH_RUNS=3 npm run bench -- sync
 *   npx tsx bench/sync.ts --users 100000 --runs 3 postgres
 *   BENCH_MFA=off npm run bench -- sync                without reading Okta's factors (to compare)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createOktaConnector } from '../src/connectors/okta/index.js';
import { openDatabase, type Db } from '../src/db/client.js';
import { rowsOf } from '../src/db/rows-of.js';
import { runSync } from '../src/domain/directory/run-sync.js';
import { testDeps } from '../test/helpers/deps.js';
import { createBenchDatabase } from './_postgres.js';

const IN_FLIGHT = 8;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const here = new URL('.', import.meta.url).pathname;
/** The tables a sync writes: rows inserted or updated in them are counted (by xmin). */
const TABLES = ['person', 'account', 'resource', 'access_grant', 'sync_run', 'evidence_event', 'access_request'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  // Also from the environment: `npm run bench -- sync` passes no options through bench/run.ts.
  options: { users: { type: 'string', default: process.env.BENCH_USERS ?? '10000' }, runs: { type: 'string', default: process.env.BENCH_RUNS ?? '1' } },
});
if (positionals[0] === 'phase') await measure(positionals[1]!, positionals[2]!);
else await orchestrate(positionals.length > 0 ? positionals : ['pglite', 'postgres'], Number(values.users), Number(values.runs));

async function lines(child: ReturnType<typeof spawn>): Promise<string[]> {
  const out: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => out.push(l));
  await new Promise((resolve) => child.on('exit', resolve));
  return out;
}

type Phase = Record<string, number | string>;

async function orchestrate(kinds: string[], users: number, runs: number) {
  const server = spawn(process.execPath, ['--import', 'tsx', `${here}_okta-server.ts`, '--users', String(users)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
  const { url, minimumRequests } = JSON.parse(first) as { url: string; minimumRequests: number };
  for (const kind of kinds) {
    const results: Record<string, Phase[]> = { firstSync: [], unchangedResync: [] };
    for (let run = 0; run < runs; run += 1) {
      const target = await createTarget(kind);
      for (const label of ['firstSync', 'unchangedResync']) {
        const child = spawn(process.execPath, ['--import', 'tsx', `${here}sync.ts`, 'phase', target.url, url], { stdio: ['ignore', 'pipe', 'inherit'] });
        results[label]!.push(JSON.parse((await lines(child)).at(-1) ?? '{}') as Phase);
      }
      await target.drop();
    }
    const phases = Object.fromEntries(Object.entries(results).map(([label, list]) => [label, { ...summarise(list), minimumRequests }]));
    process.stdout.write(`${JSON.stringify({ bench: 'sync', database: kind, users, runs, latencyMs: LATENCY_MS, inFlight: IN_FLIGHT, ...phases }, null, 2)}\n`);
  }
  server.kill('SIGTERM');
}

/** The median run by wall time, with the highest peak memory of all runs and every wall time. */
function summarise(list: Phase[]): Phase {
  const sorted = [...list].sort((a, b) => Number(a.wallMs) - Number(b.wallMs));
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...median, peakRssMb: Math.max(...list.map((p) => Number(p.peakRssMb))), ...(list.length > 1 ? { wallMsAll: list.map((p) => p.wallMs).join(',') } : {}) };
}

async function createTarget(kind: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind !== 'postgres') {
    const dir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
    return { url: dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  return createBenchDatabase();
}

/** Rows inserted or updated since transaction id `since` (xmin), per table. */
async function rowsWritten(db: Db, since: bigint): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const [row] = rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from ${sql.identifier(t)} where xmin::text::bigint >= ${since.toString()}::bigint`));
    out[t] = Number(row?.n ?? 0);
  }
  return out;
}

async function measure(target: string, url: string) {
  const database = await openDatabase(target.startsWith('postgres') ? { url: target } : { dataDir: target });
  await database.migrate();
  const deps = testDeps(database.db);
  deps.clock.set(new Date());
  const [xid] = rowsOf<{ x: string }>(await database.db.execute(sql`select (txid_current() % 4294967296) as x`));
  const since = BigInt(xid!.x) + 1n;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const okta = createOktaConnector({ orgUrl: url, apiToken: 'bench-token', maxInFlight: IN_FLIGHT });
  // BENCH_MFA=off: the same sync without reading factors, to compare against.
  const connector = process.env.BENCH_MFA === 'off' ? { ...okta, readMfa: undefined } : okta;
  const started = performance.now();
  const report = await runSync(deps, connector);
  const wallMs = Math.round(performance.now() - started);
  clearInterval(sampler);
  // And the kernel's high-water mark: on PGlite the sampler may not get a turn while the
  // database works in this thread (its queries resolve as one long chain of microtasks).
  peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  const written = await rowsWritten(database.db, since);
  const floorMs = Math.round((report.requests * LATENCY_MS) / IN_FLIGHT);
  await database.close();
  process.stdout.write(
    `${JSON.stringify({
      status: report.status,
      wallMs,
      requests: report.requests,
      // Okta's factors, read after the directory (privileged every sync, the rest in rotation): apart from `requests`.
      mfaRequests: report.mfaRequests ?? 0,
      mfaFloorMs: Math.round(((report.mfaRequests ?? 0) * LATENCY_MS) / IN_FLIGHT),
      // The MFA read's own time (part of wallMs), and the sync without it: what BENCH_MFA=off compares against.
      mfaMs: report.mfaMs ?? 0,
      withoutMfaMs: wallMs - (report.mfaMs ?? 0),
      floorMs,
      ratioToFloor: Number((wallMs / floorMs).toFixed(2)),
      peakRssMb: Math.round(peakRss / 1048576),
      accounts: report.accounts,
      grants: report.grants,
      added: report.added,
      removed: report.removed,
      changed: report.changed,
      rowsWritten: Object.values(written).reduce((a, b) => a + b, 0) - written.evidence_event!,
      evidenceEventsWritten: written.evidence_event!,
      rowsWrittenByTable: Object.entries(written).filter(([, n]) => n > 0).map(([t, n]) => `${t}=${n}`).join(' '),
    })}\n`,
  );
}
