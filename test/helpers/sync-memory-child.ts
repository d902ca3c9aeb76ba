/**
 * For test/integration/sync-memory.test.ts: syncs a generated org of `users` people, each in
 * `groups` groups (one group per 20 people at least) and one app (one per 200 people), with a
 * manager each, into the database `target` (a Postgres URL, or a PGlite data directory), and
 * prints the sync's peak RSS as JSON. `phase` is `first` (migrates, then the first sync) or
 * `again` (an unchanged re-sync an hour later). Run in its own process, once per phase, so the
 * peak is that sync's alone.
 * Usage: sync-memory-child.ts <users> <groups per user> <first|again> <target>
 */
import type { Connector, DirectoryPage, SourceAccount } from '../../src/connectors/types.js';
import { openDatabase } from '../../src/db/client.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { testDeps } from './deps.js';

const users = Number(process.argv[2]);
const GROUPS_EACH = Number(process.argv[3]);
const phase = process.argv[4];
const target = process.argv[5]!;
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

const database = await openDatabase(target.startsWith('postgres') ? { url: target } : { dataDir: target });
if (phase === 'first') await database.migrate();
const deps = testDeps(database.db);
if (phase !== 'first') deps.clock.advance(3_600_000);
const startedRss = process.memoryUsage().rss;
let peak = startedRss;
let peakHeap = 0;
let peakExternal = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peak = Math.max(peak, m.rss);
  peakHeap = Math.max(peakHeap, m.heapTotal);
  peakExternal = Math.max(peakExternal, m.external);
}, 10);
const started = performance.now();
const report = await runSync(deps, generatedOrg(users));
const wallMs = Math.round(performance.now() - started);
clearInterval(sampler);
// The kernel's high-water mark too: PGlite runs in this thread, and while it works the sampler
// may not get a turn (its queries resolve as one long chain of microtasks).
peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
await database.close();
const mb = (b: number) => Math.round(b / 1048576);
process.stdout.write(
  `${JSON.stringify({ users, phase, startedRssMb: mb(startedRss), peakRssMb: mb(peak), peakHeapMb: mb(peakHeap), peakExternalMb: mb(peakExternal), wallMs, status: report.status, people: report.people, accounts: report.accounts, grants: report.grants, added: report.added, removed: report.removed, changed: report.changed })}\n`,
);
