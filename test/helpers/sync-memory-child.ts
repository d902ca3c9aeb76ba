/**
 * For test/integration/sync-memory.test.ts: syncs a generated org of `users` people, each in
 * `groups` groups (one group per 20 people at least) and one app (one per 200 people), twice,
 * first and unchanged, into a fresh database, and prints its peak RSS as JSON. Run in its own
 * process so the peak is the sync's.
 * Usage: sync-memory-child.ts <users> <groups per user> [postgres base url]
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { Connector, DirectoryPage, SourceAccount } from '../../src/connectors/types.js';
import { openDatabase } from '../../src/db/client.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { testDeps } from './deps.js';

const users = Number(process.argv[2]);
const GROUPS_EACH = Number(process.argv[3]);
const base = process.argv[4];
const PAGE = 200;

/** Generates each page when it is asked for: the org itself is never in memory. */
function generatedOrg(n: number): Connector {
  const groups = Math.max(GROUPS_EACH * 2, Math.ceil(n / 20));
  const apps = Math.max(1, Math.ceil(n / 200));
  const account = (i: number): SourceAccount => ({
    externalId: `u${i}`,
    system: 'okta',
    login: `user${i}@acme.test`,
    email: `user${i}@acme.test`,
    displayName: `User ${i}`,
    status: 'active',
    rawStatus: 'ACTIVE',
    lastLoginAt: new Date('2026-09-01T10:00:00Z'),
    person: { email: `user${i}@acme.test`, name: `User ${i}`, department: `Dept ${i % 7}`, title: 'Engineer', managerRef: i === 0 ? null : `u${Math.floor((i - 1) / 8)}` },
  });
  return {
    source: 'okta',
    async *read(): AsyncIterable<DirectoryPage> {
      for (let i = 0; i < n; i += PAGE) yield { accounts: Array.from({ length: Math.min(PAGE, n - i) }, (_, k) => account(i + k)) };
      const resources = [
        ...Array.from({ length: groups }, (_, g) => ({ externalId: `g${g}`, system: 'okta', kind: 'group' as const, name: `Group ${g}`, privileged: g % 50 === 0 })),
        ...Array.from({ length: apps }, (_, a) => ({ externalId: `a${a}`, system: 'okta', kind: 'app' as const, name: `App ${a}`, privileged: false })),
      ];
      for (let i = 0; i < resources.length; i += PAGE) yield { resources: resources.slice(i, i + PAGE) };
      const usersPerPage = Math.max(1, Math.floor(PAGE / GROUPS_EACH));
      for (let i = 0; i < n; i += usersPerPage) {
        const grants = [];
        for (let u = i; u < Math.min(n, i + usersPerPage); u += 1) {
          for (let k = 0; k < GROUPS_EACH; k += 1) grants.push({ accountExternalId: `u${u}`, resourceExternalId: `g${(u + k * 7) % groups}`, via: 'direct' });
          grants.push({ accountExternalId: `u${u}`, resourceExternalId: `a${u % apps}`, via: 'direct' });
        }
        yield { grants };
      }
    },
    canRemove: () => false,
  };
}

const name = `attest_mem_${randomBytes(5).toString('hex')}`;
let url: string | undefined;
if (base) {
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  url = u.toString();
}
const database = await openDatabase(url ? { url } : { dataDir: 'memory://' });
await database.migrate();
const deps = testDeps(database.db);
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const started = Math.round(peak / 1048576);
const first = await runSync(deps, generatedOrg(users));
deps.clock.advance(3_600_000);
const again = await runSync(deps, generatedOrg(users));
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
await database.close();
if (base) {
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
process.stdout.write(
  `${JSON.stringify({ users, startedRssMb: started, peakRssMb: Math.round(peak / 1048576), first: [first.status, first.accounts, first.grants], again: [again.status, again.added, again.removed] })}\n`,
);
