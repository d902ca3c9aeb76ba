/**
 * bench/verify: `attest verify` over a long evidence chain — 1,000,000 events by default
 * (BENCH_EVENTS to change), a realistic mix of decisions, sync changes, removals, tasks and
 * reminders. Seeds the chain (hashes computed here with the real `eventHash`, rows loaded with
 * COPY on Postgres and batched inserts on PGlite), runs VACUUM ANALYZE, then verifies in a child
 * process so the reported peak RSS is the verification's own, not the seeding's.
 *
 *   npx tsx bench/verify.ts                                   # Postgres: a fresh database on
 *                                                             # BENCH_DATABASE_URL's server, dropped afterwards
 *   BENCH_DB=pglite BENCH_EVENTS=100000 npx tsx bench/verify.ts   # PGlite in a temporary directory
 *
 * Prints one JSON document: {bench, database, events, seedSeconds, seconds, eventsPerSecond,
 * cpuSeconds (the verifying process's), peakRssMb, rssBeforeMb (after start-up, before
 * verifying), loadAverage (1-minute, when verification started), ok}.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client.js';
import { evidenceEvent, type EvidenceRow } from '../src/db/schema/index.js';
import { GENESIS_HASH, eventHash } from '../src/domain/evidence/canonical.js';
import { verifyChain } from '../src/domain/evidence/verify-chain.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const KIND = process.env.BENCH_DB === 'pglite' ? 'pglite' : 'postgres';
const PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const START = Date.parse('2026-01-05T08:00:00Z');
const BATCH = 2000;

/** Postgres's md5(text)::uuid, in JS: stable ids without a table to draw them from. */
const uuidOf = (text: string) => createHash('md5').update(text).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

type Fields = Pick<EvidenceRow, 'actor' | 'action' | 'subject' | 'payload'>;

/** Event `seq`, shaped like what the app appends (see decision-event.ts, apply-diff.ts, …). */
function fieldsOf(seq: number, at: string): Fields {
  const p = seq % 5000;
  const r = seq % 40;
  const campaign = uuidOf(`c${Math.floor(seq / 100_000)}`);
  const item = uuidOf(`i${seq}`);
  const grant = uuidOf(`g${seq}`);
  const person = { personId: uuidOf(`p${p}`), email: `user${p}@example.com`, name: `User ${p}` };
  switch (seq % 20) {
    case 12:
    case 13:
      return { actor: 'sync:okta', action: 'grant.added', subject: { grant, account: uuidOf(`a${p}`), resource: uuidOf(`r${r}`), syncRun: uuidOf(`s${seq >> 12}`) }, payload: { via: r % 3 === 0 ? 'group' : 'direct', privileged: r < 2 } };
    case 14:
      return { actor: 'sync:okta', action: 'grant.removed', subject: { grant, account: uuidOf(`a${p}`), resource: uuidOf(`r${r}`), syncRun: uuidOf(`s${seq >> 12}`) }, payload: { via: 'direct' } };
    case 15:
      return {
        actor: `person:${uuidOf(`m${p % 500}`)}`,
        action: 'removal.requested',
        subject: { request: uuidOf(`q${seq}`), campaign, item },
        payload: { origin: `review_item:${item}`, grantId: grant, accountId: uuidOf(`a${p}`), resourceId: uuidOf(`r${r}`), subjectPersonId: person.personId, accountLogin: person.email },
      };
    case 16:
      return { actor: 'connector:okta', action: 'task.done', subject: { task: uuidOf(`t${seq}`), request: uuidOf(`q${seq - 1}`) }, payload: { action: 'remove_grant', description: `Remove ${person.email} from App ${r}`, automated: true, attempts: 1 } };
    case 17:
      return { actor: 'job:review-reminders', action: 'review.reminded', subject: { campaign, reviewer: uuidOf(`m${p % 500}`) }, payload: { offsetDays: 3, pending: r + 1, dueAt: '2026-10-31T23:59:00.000Z' } };
    default: {
      const reviewer = { personId: uuidOf(`m${p % 500}`), email: `manager${p % 500}@example.com`, name: `Manager ${p % 500}`, slackUserId: `U${p % 500}` };
      const revoked = seq % 20 === 1;
      return {
        actor: `person:${reviewer.personId}`,
        action: 'review.decided',
        subject: { campaign, item },
        payload: {
          itemId: item,
          campaignId: campaign,
          grantId: grant,
          decision: revoked ? 'revoked' : 'approved',
          reason: revoked ? 'no longer needed' : null,
          removalTiming: revoked ? 'now' : null,
          decidedAt: at,
          reviewer,
          access: {
            ...person,
            system: 'okta',
            accountLogin: person.email,
            accountStatus: 'active',
            resourceId: uuidOf(`r${r}`),
            resourceName: `App ${r}`,
            via: 'direct',
            privileged: r < 2,
            lastLoginAt: new Date(START - (seq % 200) * 86_400_000).toISOString(),
          },
        },
      };
    }
  }
}

/** The chain, BATCH rows at a time, linked exactly as `appendEvidence` links it. */
function* chain(): Generator<(Fields & { seq: number; at: string; prevHash: string; hash: string })[]> {
  let prevHash = GENESIS_HASH;
  for (let from = 1; from <= EVENTS; from += BATCH) {
    const rows = [];
    for (let seq = from; seq < Math.min(from + BATCH, EVENTS + 1); seq++) {
      const at = new Date(START + seq * 1000).toISOString();
      const f = { seq, at, ...fieldsOf(seq, at) };
      const hash = eventHash(prevHash, f);
      rows.push({ ...f, prevHash, hash });
      prevHash = hash;
    }
    yield rows;
  }
}

/** COPY text format: only backslash, tab and line breaks need escaping. */
const copyText = (s: string) => s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);

async function seedPostgres(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const lines = function* () {
      for (const rows of chain()) {
        yield rows.map((e) => [e.seq, e.at, e.actor, e.action, JSON.stringify(e.subject), JSON.stringify(e.payload), e.prevHash, e.hash].map((v) => copyText(String(v))).join('\t')).join('\n') + '\n';
      }
    };
    const copy = await client`copy evidence_event (seq, at, actor, action, subject, payload, prev_hash, hash) from stdin`.writable();
    await pipeline(Readable.from(lines()), copy);
    // What autovacuum does soon after a bulk load in production: statistics for the planner,
    // and hint bits set, so verification reads a settled table rather than rewriting every page.
    await client`vacuum (analyze) evidence_event`;
  } finally {
    await client.end();
  }
}

async function seedPglite(dir: string): Promise<void> {
  const database = await openDatabase({ dataDir: dir });
  try {
    for (const rows of chain()) {
      await database.db.insert(evidenceEvent).values(rows.map((e) => ({ ...e, at: new Date(e.at) })));
    }
    await database.db.execute(sql`vacuum (analyze) evidence_event`);
  } finally {
    await database.close();
  }
}

/** The measured part, in a fresh process: open, verify, report. */
async function measure(target: string): Promise<void> {
  const database = await openDatabase(target.startsWith('postgres') ? { url: target } : { dataDir: target });
  const rssBefore = process.memoryUsage().rss;
  // The machine may be shared: the load when verification started says how to read the rate.
  const loadAverage = Number(loadavg()[0]!.toFixed(1));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const report = await verifyChain(database.db);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await database.close();
  process.stdout.write(
    `${JSON.stringify({ ok: report.ok, events: report.events, seconds: Number(seconds.toFixed(2)), eventsPerSecond: Math.round(report.events / seconds), cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), rssBeforeMb: Math.round(rssBefore / 1048576), loadAverage, ...(report.ok ? {} : { firstBad: report.firstBad, reason: report.reason }) })}\n`,
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(process.argv[3]!);
  const work = await mkdtemp(join(tmpdir(), 'attest-bench-'));
  const name = `attest_bench_${randomBytes(4).toString('hex')}`;
  const admin = KIND === 'postgres' ? postgres(PG_BASE, { max: 1, onnotice: () => {} }) : undefined;
  try {
    let target = join(work, 'pglite');
    if (admin) {
      await admin.unsafe(`create database ${name}`);
      const u = new URL(PG_BASE);
      u.pathname = `/${name}`;
      target = u.toString();
    }
    const database = await openDatabase(admin ? { url: target } : { dataDir: target });
    await database.migrate();
    await database.close();

    process.stderr.write(`bench/verify: seeding ${EVENTS} events on ${KIND}…\n`);
    const seedStarted = performance.now();
    await (admin ? seedPostgres(target) : seedPglite(target));
    const seedSeconds = Number(((performance.now() - seedStarted) / 1000).toFixed(1));
    process.stderr.write(`bench/verify: seeded in ${seedSeconds} s; verifying…\n`);

    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--measure', target], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    const measured = JSON.parse(out || '{}') as { ok?: boolean; events?: number };
    if (code !== 0 || measured.ok !== true || measured.events !== EVENTS) process.exitCode = code || 1;
    process.stdout.write(`${JSON.stringify({ bench: 'verify', database: KIND, seedSeconds, ...measured }, null, 2)}\n`);
  } finally {
    if (admin) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
    await rm(work, { recursive: true, force: true });
  }
}

await main();
