/**
 * Export benchmark: 5,000 people × 20 grants = 100,000 review items in one closed campaign
 * (by default; `--items N` or BENCH_EXPORT_ITEMS=N sets the number, rounded up to whole people),
 * 5% revoked (with verified removals), 5% undecided, 50 leavers, and one `review.decided`
 * evidence event per decision. Seeds in bulk with SQL, then exports in a child process so the
 * reported peak RSS is the export's own, not the seeding's.
 *
 *   npx tsx bench/export.ts                                   # PGlite in a temporary directory
 *   BENCH_DATABASE_URL=postgres://…/bench npx tsx bench/export.ts   # an empty Postgres database
 *   BENCH_EXPORT_ITEMS=500000 npm run bench -- export              # 25,000 people × 20 grants
 *   BENCH_EXPORT_SEEDED=1 BENCH_DATABASE_URL=… npx tsx bench/export.ts  # export again, no seeding
 *
 * With BENCH_EXPORT_SEEDED=1 (Postgres only) the database is taken as an earlier run left it,
 * seeded with the same number of items: a second seeding would collide with the first.
 *
 * Prints one JSON document: {items, ms, peakRssMb, bytes}.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { appendEvidence, type NewEvidence } from '../src/domain/evidence/append-evidence.js';
import { exportBundle } from '../src/domain/evidence/export/export-bundle.js';
import { createLogger } from '../src/logger.js';

const GRANTS_EACH = 20;
const PEOPLE = Math.ceil(itemCount() / GRANTS_EACH);
const LEAVERS = 50;
const EXPORT_AT = '2027-01-05T08:00:00Z';
const CAMPAIGN = '00000000-0000-4000-8000-00000000c001';
const SYNC = '00000000-0000-4000-8000-000000005001';

/**
 * How many review items to seed: `--items N` (running the file directly) or BENCH_EXPORT_ITEMS
 * (through `npm run bench -- export`, whose runner passes no arguments on). Default 100,000.
 */
function itemCount(): number {
  const at = process.argv.indexOf('--items');
  const raw = at >= 0 ? process.argv[at + 1] : process.env.BENCH_EXPORT_ITEMS;
  if (raw === undefined || raw === '') return 100_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1000) throw new Error(`--items / BENCH_EXPORT_ITEMS must be a whole number of at least 1000 (got ${raw})`);
  return n;
}

/** Postgres's md5(text)::uuid, in JS, so events can name the rows SQL made. */
const uuidOf = (text: string) => createHash('md5').update(text).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

async function seed(db: Database['db']): Promise<void> {
  const run = (q: string) => db.execute(sql.raw(q));
  await run(`insert into person (id, email, name, department, manager_id, slack_user_id, source, status)
    select md5('p'||i)::uuid, 'user'||i||'@bench.test', 'User '||i, 'dept'||(i % 25),
           case when i > 250 then md5('p'||(1 + i % 250))::uuid end, 'U'||i, 'bench',
           case when i > ${PEOPLE - LEAVERS} then 'terminated' else 'active' end
    from generate_series(1, ${PEOPLE}) i`);
  await run(`insert into resource (id, source, system, external_id, kind, name, privileged, first_seen_at, last_seen_at)
    select md5('r'||j)::uuid, 'okta', 'okta', 'res'||j, 'app', 'App '||j, j <= 2, '2025-01-01', '2026-12-01'
    from generate_series(1, ${GRANTS_EACH}) j`);
  await run(`insert into account (id, source, system, external_id, login, email, status, last_login_at, person_id, first_seen_at, last_seen_at)
    select md5('a'||i)::uuid, 'okta', 'okta', 'u'||i, 'user'||i||'@bench.test', 'user'||i||'@bench.test',
           case when i > ${PEOPLE - LEAVERS} then 'deprovisioned' else 'active' end,
           timestamptz '2026-12-01' - ((i % 200) || ' days')::interval, md5('p'||i)::uuid, '2025-01-01', '2026-12-01'
    from generate_series(1, ${PEOPLE}) i`);
  await run(`insert into access_grant (id, source, account_id, resource_id, via, privileged, first_seen_at, last_seen_at)
    select md5('g'||i||'-'||j)::uuid, 'okta', md5('a'||i)::uuid, md5('r'||j)::uuid, 'direct', j <= 2, '2025-01-01', '2026-12-01'
    from generate_series(1, ${PEOPLE}) i, generate_series(1, ${GRANTS_EACH}) j`);
  await run(`insert into sync_run (id, source, status, started_at, finished_at, counts, totals)
    values ('${SYNC}', 'okta', 'succeeded', '2026-09-30T23:00Z', '2026-09-30T23:05Z',
            '{"people":${PEOPLE},"accounts":${PEOPLE},"resources":${GRANTS_EACH},"grants":${PEOPLE * GRANTS_EACH}}', '{"users.active":${PEOPLE}}')`);
  const items = PEOPLE * GRANTS_EACH;
  await run(`insert into campaign (id, name, owner_id, status, due_at, created_by, created_at, launched_at, closed_at, provenance)
    values ('${CAMPAIGN}', 'Bench Q4', md5('p1')::uuid, 'closed', '2026-10-31T23:59Z', 'bench', '2026-10-01T09:00Z', '2026-10-01T09:05Z', '2026-11-15T18:00Z',
            '{"okta":{"syncRunId":"${SYNC}","syncedAt":"2026-09-30T23:05:00.000Z","read":{"accounts":${PEOPLE},"grants":${items}},"liveGrants":${items},"inScope":${items},"excluded":{}}}')`);
  // Decision k of reviewer-order: approved, except every 20th revoked and every 20th (offset) undecided.
  await run(`insert into review_item (id, campaign_id, grant_id, snapshot, reviewer_id, decision, decided_by, decided_at, reason)
    select md5('i'||i||'-'||j)::uuid, '${CAMPAIGN}', md5('g'||i||'-'||j)::uuid,
      jsonb_build_object('personId', p.id, 'personName', p.name, 'personEmail', p.email, 'department', p.department,
        'managerEmail', m.email, 'system', 'okta', 'source', 'okta', 'accountLogin', p.email, 'accountStatus', 'active',
        'resourceId', md5('r'||j)::uuid, 'resourceName', 'App '||j, 'resourceKind', 'app', 'via', 'direct',
        'privileged', j <= 2, 'lastLoginAt', to_char(timestamptz '2026-09-01' - ((i % 200) || ' days')::interval, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'accountId', md5('a'||i)::uuid),
      coalesce(p.manager_id, md5('p1')::uuid),
      case when (i * ${GRANTS_EACH} + j) % 20 = 0 then 'pending' when (i * ${GRANTS_EACH} + j) % 20 = 1 then 'revoked' else 'approved' end,
      case when (i * ${GRANTS_EACH} + j) % 20 <> 0 then coalesce(p.manager_id, md5('p1')::uuid) end,
      case when (i * ${GRANTS_EACH} + j) % 20 <> 0 then timestamptz '2026-10-02' + ((i * ${GRANTS_EACH} + j) * 20 || ' seconds')::interval end,
      case when (i * ${GRANTS_EACH} + j) % 20 = 1 then 'not needed' end
    from generate_series(1, ${PEOPLE}) i cross join generate_series(1, ${GRANTS_EACH}) j
    join person p on p.id = md5('p'||i)::uuid left join person m on m.id = p.manager_id`);
  await run(`insert into access_request (id, kind, status, subject_person_id, grant_id, account_id, resource_id, requested_by, approved_by, carried_out_by, origin, created_at, approved_at, done_at, verified_at, verified_by_sync_run_id)
    select md5('q'||ri.id::text)::uuid, 'revoke', 'verified', (ri.snapshot->>'personId')::uuid, ri.grant_id, (ri.snapshot->>'accountId')::uuid, (ri.snapshot->>'resourceId')::uuid,
           'person:'||ri.decided_by, 'person:'||ri.decided_by, 'connector:okta', 'review_item:'||ri.id, ri.decided_at, ri.decided_at, ri.decided_at + interval '2 hours', ri.decided_at + interval '1 day', '${SYNC}'
    from review_item ri where ri.decision = 'revoked'`);
  await run(`update review_item set request_id = md5('q'||id::text)::uuid where decision = 'revoked'`);
  await run(`insert into access_request (id, kind, status, subject_person_id, requested_by, reason, effective_at, due_at, created_at, verified_at)
    select md5('case'||i)::uuid, 'offboard', 'verified', md5('p'||i)::uuid, 'hr:bench', 'resignation', timestamptz '2026-11-01' + (i % 28 || ' days')::interval,
           timestamptz '2026-11-02' + (i % 28 || ' days')::interval, timestamptz '2026-10-31', timestamptz '2026-11-01T20:00Z' + (i % 28 || ' days')::interval
    from generate_series(${PEOPLE - LEAVERS + 1}, ${PEOPLE}) i`);
  await run(`insert into access_request (id, kind, status, parent_id, subject_person_id, account_id, requested_by, approved_by, carried_out_by, created_at, approved_at, done_at, verified_at, verified_by_sync_run_id)
    select md5('child'||i)::uuid, 'revoke', 'verified', md5('case'||i)::uuid, md5('p'||i)::uuid, md5('a'||i)::uuid, 'hr:bench', 'hr:bench', 'connector:okta', timestamptz '2026-10-31', timestamptz '2026-10-31',
           timestamptz '2026-11-01T18:00Z' + (i % 28 || ' days')::interval, timestamptz '2026-11-01T20:00Z' + (i % 28 || ' days')::interval, '${SYNC}'
    from generate_series(${PEOPLE - LEAVERS + 1}, ${PEOPLE}) i`);
  await run(`insert into task (request_id, action, description, automated, status, deadline, done_by, done_at, created_at)
    select md5('child'||i)::uuid, 'deactivate_account', 'Deactivate user'||i||'@bench.test', true, 'done', timestamptz '2026-11-02' + (i % 28 || ' days')::interval,
           'connector:okta', timestamptz '2026-11-01T18:00Z' + (i % 28 || ' days')::interval, timestamptz '2026-10-31'
    from generate_series(${PEOPLE - LEAVERS + 1}, ${PEOPLE}) i`);
  await seedEvidence(db);
  // What autovacuum does soon after a bulk load in production: without statistics the planner
  // picks nested loops over tables it believes are empty, and without the vacuum the export's
  // first read of each row would set its hint bits, writing the freshly loaded tables again.
  await run('vacuum analyze');
}

/** One `review.decided` per decision, appended the real way, in transactions of 5,000. */
async function seedEvidence(db: Database['db']): Promise<void> {
  const clock = fixedClock('2026-10-02T00:00:00Z');
  let batch: NewEvidence[] = [];
  const flush = async () => {
    clock.advance(60_000);
    await db.transaction((tx) => appendEvidence(tx, clock, batch));
    batch = [];
  };
  for (let i = 1; i <= PEOPLE; i++) {
    for (let j = 1; j <= GRANTS_EACH; j++) {
      const k = (i * GRANTS_EACH + j) % 20;
      if (k === 0) continue;
      const decision = k === 1 ? 'revoked' : 'approved';
      batch.push({ actor: 'person:bench', action: 'review.decided', subject: { campaign: CAMPAIGN, item: uuidOf(`i${i}-${j}`) }, payload: { decision, reason: k === 1 ? 'not needed' : null, access: { personEmail: `user${i}@bench.test`, resourceName: `App ${j}` } } });
      if (batch.length === 5000) await flush();
    }
  }
  if (batch.length) await flush();
}

/** The measured part, in a fresh process: open, export, report. */
async function measure(target: { url?: string; dir?: string }, out: string): Promise<void> {
  const database = await openDatabase(target.url ? { url: target.url } : { dataDir: target.dir! });
  const deps = { db: database.db, clock: fixedClock(EXPORT_AT), logger: createLogger({ level: 'silent' }), config: loadConfig({ TZ: 'UTC' }) };
  const started = performance.now();
  const res = await exportBundle(deps, { period: { quarter: '2026-Q4' }, out, actor: 'bench' });
  const ms = Math.round(performance.now() - started);
  await database.close();
  const items = res.rows['population.csv'] ?? 0;
  process.stdout.write(JSON.stringify({ items, ms, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), bytes: (await stat(res.file)).size }) + '\n');
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(JSON.parse(process.argv[3]!), process.argv[4]!);
  const url = process.env.BENCH_DATABASE_URL;
  const work = await mkdtemp(join(tmpdir(), 'attest-bench-'));
  try {
    const target = url ? { url } : { dir: join(work, 'pglite') };
    if (!(url && process.env.BENCH_EXPORT_SEEDED === '1')) {
      const database = await openDatabase(url ? { url } : { dataDir: target.dir! });
      await database.migrate();
      await seed(database.db);
      await database.close();
    }
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--measure', JSON.stringify(target), join(work, 'bundle.zip')], { stdio: ['ignore', 'inherit', 'inherit'] });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    if (code !== 0) process.exitCode = code ?? 1;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
