import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, accessGrant, SYNC_STATUSES, syncRun } from '../../src/db/schema/index.js';
import { OktaOrg, startFakeOkta, type FakeOkta, type FakeOktaOptions } from '../fakes/okta/index.js';
import type { TestDatabase } from '../helpers/db.js';
import { attestJson, baseEnv, killAfter, spawnAttest, waitUntil, type FaultRun, type KillPoint, type Proc } from '../helpers/fault-kit.js';
import { expectChainIntact, faultScenario, type ScratchDir } from '../helpers/fault-scenario.js';

/**
 * Scenario 4 (Postgres): `attest sync --source okta` (the real CLI) against a slow fake Okta is
 * SIGKILLed at random moments: during start-up and the read, and just after the last page
 * arrived (the diff and the one apply transaction). The database is never half-applied: the
 * live accounts and grants are always those of before or of after. The next run completes,
 * and no run is left `running` once a later run of the source has finished.
 *
 * Two fake Okta orgs, A and B (B = A with 4 more users, some memberships gone, one user
 * suspended), so a sync always has something to change: A → B, then B → A.
 */
const FILE = 'test/faults/sync.test.ts';
const OKTA_TOKEN = 'ssws-fault-sync';
const LATENCY_MS = 250;
const KILLS_PER_ROUND = 3;

interface Fingerprint {
  accounts: number;
  grants: number;
  suspended: number;
}

/** The same ids in both orgs (ids are handed out in creation order); B's changes come last. */
function buildOrg(variant: 'A' | 'B'): OktaOrg {
  const org = new OktaOrg();
  const users = Array.from({ length: 40 }, (_, i) =>
    org.addUser({
      status: 'ACTIVE',
      lastLogin: '2026-11-30T08:00:00.000Z',
      profile: { firstName: `User${i}`, lastName: 'Acme', email: `user${i}@acme.test`, login: `user${i}@acme.test`, department: i % 2 ? 'Sales' : 'Engineering' },
    }),
  );
  const groups = Array.from({ length: 8 }, (_, g) => org.addGroup({ name: `Group ${g}` }));
  users.forEach((u, i) => [0, 3, 5].forEach((k) => org.addMember(groups[(i + k) % 8]!.id, u.id)));
  const apps = Array.from({ length: 3 }, (_, a) => org.addApp({ label: `App ${a}` }));
  users.forEach((u, i) => i % 3 === 0 && org.assignUserToApp(apps[i % 3]!.id, u.id));
  org.assignGroupToApp(apps[1]!.id, groups[1]!.id);
  if (variant === 'B') {
    for (let i = 0; i < 4; i += 1) {
      const u = org.addUser({ status: 'ACTIVE', profile: { firstName: `New${i}`, lastName: 'Acme', email: `new${i}@acme.test`, login: `new${i}@acme.test` } });
      org.addMember(groups[i]!.id, u.id);
      org.addMember(groups[i + 4]!.id, u.id);
    }
    for (let i = 0; i < 6; i += 1) org.members.get(groups[i % 8]!.id)!.delete(users[i * 5]!.id);
    users[7]!.status = 'SUSPENDED';
  }
  return org;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('faults: attest sync under SIGKILL (Postgres)', () => {
  let run: FaultRun;
  let t: TestDatabase;
  let dir: ScratchDir;
  const options: Record<'A' | 'B', FakeOktaOptions> = {
    A: { org: buildOrg('A'), apiToken: OKTA_TOKEN, latencyMs: 0 },
    B: { org: buildOrg('B'), apiToken: OKTA_TOKEN, latencyMs: 0 },
  };
  const servers = {} as Record<'A' | 'B', FakeOkta>;
  /** Requests one full read of each org takes. */
  const readRequests = { A: 0, B: 0 };
  /** When the last completed run started: runs started before it cannot be running any more. */
  let lastFinished: Date | undefined;

  faultScenario({ scenario: 'sync', file: FILE, dirPrefix: 'attest-fault-sync' }, (opened) => ({ run, dir, t } = opened));
  beforeAll(async () => {
    servers.A = await startFakeOkta(options.A);
    servers.B = await startFakeOkta(options.B);
  }, 60_000);

  afterAll(async () => {
    await servers.A?.close();
    await servers.B?.close();
  });

  const envFor = (target: 'A' | 'B') => baseEnv(dir.path, t.url!, { OKTA_ORG_URL: servers[target].url, OKTA_API_TOKEN: OKTA_TOKEN });
  const sync = (target: 'A' | 'B') => spawnAttest(['sync', '--source', 'okta', '--json'], { cwd: dir.path, env: envFor(target), name: `attest sync → ${target}` });

  async function fingerprint(): Promise<Fingerprint> {
    const [a] = await t.db
      .select({ n: sql<number>`count(*)::int`, suspended: sql<number>`count(*) filter (where ${account.status} = 'suspended')::int` })
      .from(account)
      .where(isNull(account.removedAt));
    const [g] = await t.db.select({ n: sql<number>`count(*)::int` }).from(accessGrant).where(isNull(accessGrant.removedAt));
    return { accounts: a!.n, grants: g!.n, suspended: a!.suspended };
  }
  const fp = (f: Fingerprint) => `${f.accounts} accounts, ${f.grants} grants, ${f.suspended} suspended`;

  async function completeRun(target: 'A' | 'B'): Promise<{ status: string; startedAt: Date }> {
    const startedAt = new Date();
    const before = servers[target].stats.total;
    const report = await attestJson<{ status: string }>(run, ['sync', '--source', 'okta'], { cwd: dir.path, env: envFor(target) });
    readRequests[target] = servers[target].stats.total - before;
    return { status: report.status, startedAt };
  }

  it('never leaves the directory half-applied; the next run completes', async () => {
    const setup = await completeRun('A');
    expect(setup.status).toBe('succeeded');
    let from = await fingerprint();
    run.note(`org A synced: ${fp(from)} in ${readRequests.A} requests`);
    options.A.latencyMs = LATENCY_MS;
    options.B.latencyMs = LATENCY_MS;

    // Calibration: a dry run against B reads everything and writes nothing. When does its first
    // request arrive (start-up is over), and how long does the read take?
    const started = Date.now();
    const dryBefore = servers.B.stats.total;
    const dry = spawnAttest(['sync', '--source', 'okta', '--dry-run', '--json'], { cwd: dir.path, env: envFor('B'), name: 'attest sync --dry-run → B' });
    run.track(dry);
    let firstMs = await waitUntil('the dry run to reach Okta', () => (servers.B.stats.total > dryBefore ? Date.now() - started : !dry.alive() && -1), { timeoutMs: 120_000, intervalMs: 10 });
    expect((await dry.exited).code, run.explain()).toBe(0);
    readRequests.B = servers.B.stats.total - dryBefore;
    let readMs = Math.max(Date.now() - started - firstMs, LATENCY_MS);
    let applyMs = LATENCY_MS + 400;
    run.note(`a dry run against B: start-up ${firstMs} ms, then ${readRequests.B} requests at ${LATENCY_MS} ms each and the diff in ${readMs} ms`);
    expect(firstMs, run.explain()).toBeGreaterThan(0);

    const finished: { startedAt: Date }[] = [];
    for (const target of ['B', 'A'] as const) {
      const observed: Fingerprint[] = [];
      const kinds = run.rng.shuffle(['start-up', 'read', 'apply'] as const);
      // A kill that comes too late (the run had finished) is retried with the next kind.
      for (let attempt = 0, landed = 0; landed < KILLS_PER_ROUND && attempt < KILLS_PER_ROUND + 4; attempt += 1) {
        const kind = kinds[attempt % kinds.length]!;
        const before = servers[target].stats.total;
        const spawnedAt = Date.now();
        const p = sync(target);
        run.track(p);
        const sofar = () => `${servers[target].stats.total - before} requests of this run had arrived`;
        let kill: KillPoint;
        if (kind === 'start-up') {
          kill = await killAfter(run, p, run.rng.between(0.2, 0.95) * firstMs, `sync → ${target}, start-up`, sofar);
          if (!kill.landed) firstMs = Math.max(100, (p.exitedAt()! - spawnedAt) * 0.5);
        } else if (kind === 'read') {
          await waitForRequests(p, target, before + 1);
          const from = Date.now();
          kill = await killAfter(run, p, run.rng.between(0, readMs), `sync → ${target}, reading (after its first request)`, sofar);
          if (!kill.landed) readMs = Math.max(LATENCY_MS, (p.exitedAt()! - from) * 0.9);
        } else {
          await waitForRequests(p, target, before + readRequests[target]);
          const from = Date.now();
          kill = await killAfter(run, p, run.rng.between(0, applyMs), `sync → ${target}, diff/apply (after its last request)`, sofar);
          if (!kill.landed) applyMs = Math.max(50, (p.exitedAt()! - from) * 0.9);
        }
        // A kill that came too late teaches how long this machine takes now.
        if (!kill.landed) run.note(`re-calibrated after a late kill: start-up ${Math.round(firstMs)} ms, read ${Math.round(readMs)} ms, diff/apply ${Math.round(applyMs)} ms`);
        if (kill.landed) landed += 1;
        const f = await fingerprint();
        observed.push(f);
        run.note(`after kill #${kill.n}: ${fp(f)}`);
      }
      const done = await completeRun(target);
      expect(done.status, run.explain()).toBe('succeeded');
      finished.push(done);
      const to = await fingerprint();
      run.note(`sync → ${target} completed: ${fp(from)} → ${fp(to)}`);
      expect(fp(to), `the sync to ${target} should change the directory`).not.toBe(fp(from));
      const between = observed.filter((f) => fp(f) !== fp(from) && fp(f) !== fp(to));
      expect(between.map(fp), `states that are neither before (${fp(from)}) nor after (${fp(to)}): half-applied\n${run.explain()}`).toEqual([]);
      from = to;
    }
    expect(run.landed(), run.explain()).toBe(2 * KILLS_PER_ROUND);

    await expectChainIntact(run, dir, t);

    lastFinished = finished[finished.length - 1]!.startedAt;
  }, 420_000);

  it("leaves no killed run 'running' once a later run of the source has finished", async () => {
    expect(lastFinished, 'the scenario above did not finish a run').toBeDefined();
    const stuck = await t.db
      .select({ id: syncRun.id, startedAt: syncRun.startedAt, status: syncRun.status })
      .from(syncRun)
      .where(and(eq(syncRun.source, 'okta'), eq(syncRun.status, 'running'), lt(syncRun.startedAt, lastFinished!)))
      .orderBy(asc(syncRun.startedAt));
    const hasInterrupted = (SYNC_STATUSES as readonly string[]).includes('interrupted');
    const all = await t.db.select({ status: syncRun.status, n: sql<number>`count(*)::int` }).from(syncRun).where(eq(syncRun.source, 'okta')).groupBy(syncRun.status);
    run.note(`okta sync runs by status: ${all.map((r) => `${r.status}=${r.n}`).join(', ')}`);
    expect(
      stuck,
      hasInterrupted
        ? `sync runs left 'running' although a later okta run finished (they should be 'interrupted')\n${run.explain()}`
        : `NOT YET IMPLEMENTED: the 'interrupted' status for runs whose process died is not in SYNC_STATUSES (another engineer is adding it); until then every killed run stays 'running' forever\n${run.explain()}`,
    ).toEqual([]);
  }, 60_000);

  async function waitForRequests(p: Proc, target: 'A' | 'B', n: number): Promise<void> {
    // An exit first is no error: the kill is then recorded as missed.
    await waitUntil(`sync → ${target} to ask for its last page (request ${n})`, () => servers[target].stats.total >= n || !p.alive(), {
      timeoutMs: 120_000,
      intervalMs: 10,
      explain: () => run.explain(),
    });
  }
});
