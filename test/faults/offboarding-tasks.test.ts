import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createConnector } from '../../src/connectors/index.js';
import { accessRequest, evidenceEvent, task } from '../../src/db/schema/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { createLogger } from '../../src/logger.js';
import { OktaOrg, startFakeOkta, type FakeOkta, type FakeOktaOptions, type FakeUser } from '../fakes/okta/index.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import type { TestDatabase } from '../helpers/db.js';
import { testConfig, testDeps } from '../helpers/deps.js';
import { ServeUnderFault, waitUntil, type FaultRun } from '../helpers/fault-kit.js';
import { expectChainIntact, faultScenario, type ScratchDir } from '../helpers/fault-scenario.js';

/**
 * Scenario 3 (Postgres): leavers arrive by signed HR webhook (`employee.terminated`, effective
 * now) at a real `attest serve` with REVOKE_MODE=auto and TASK_LEASE_S=3. Each leaver's Okta
 * deactivation is in flight at a slow fake Okta when the serve is SIGKILLed (the fake carries it
 * out anyway, as Okta would); the serve is restarted each time. Eventually every automated task
 * is `done` exactly once (one `task.done` event each), none is left `running`, and Okta shows
 * every leaver DEPROVISIONED. A second test restarts a serve inside a (15 s) lease and measures
 * how long after the lease ran out the orphaned task is taken up.
 */
const FILE = 'test/faults/offboarding-tasks.test.ts';
const OKTA_TOKEN = 'ssws-fault-offboarding';
const HR_SECRET = 'fault-hr-secret';
const OKTA_LATENCY_MS = 2000;
const LEAVERS = 4;

describe.skipIf(!process.env.TEST_DATABASE_URL)('faults: offboarding automated tasks under SIGKILL (Postgres)', () => {
  let run: FaultRun;
  let t: TestDatabase;
  let okta: FakeOkta;
  let fake: FakeSlack;
  let serve: ServeUnderFault;
  let dir: ScratchDir;
  const org = new OktaOrg();
  // Read on every request by the fake: 0 while the test syncs, slow once the serve acts.
  const oktaOpts: FakeOktaOptions = { org, apiToken: OKTA_TOKEN, latencyMs: 0 };
  const leavers: FakeUser[] = [];
  const stayers: FakeUser[] = [];
  /** The leaver of the lease test. */
  let late: FakeUser;

  faultScenario({ scenario: 'offboarding-tasks', file: FILE, dirPrefix: 'attest-fault-offboarding' }, (opened) => ({ run, dir, t } = opened));
  beforeAll(async () => {
    const person = (email: string, first: string, managerId?: string) =>
      org.addUser({
        status: 'ACTIVE',
        lastLogin: '2026-11-30T08:00:00.000Z',
        profile: { firstName: first, lastName: 'Acme', email, login: email, department: 'Engineering', title: 'Engineer', ...(managerId ? { managerId } : {}) },
      });
    const maya = person('maya@acme.test', 'Maya');
    stayers.push(maya, person('omar@acme.test', 'Omar', maya.id));
    for (let i = 0; i < LEAVERS; i += 1) leavers.push(person(`leaver${i}@acme.test`, `Leaver${i}`, maya.id));
    late = person('late@acme.test', 'Late', maya.id);
    const eng = org.addGroup({ name: 'Engineering' });
    const oncall = org.addGroup({ name: 'On-call' });
    for (const u of [...stayers, ...leavers, late]) org.addMember(eng.id, u.id);
    for (const u of leavers.slice(0, 2)) org.addMember(oncall.id, u.id);
    const github = org.addApp({ label: 'GitHub', name: 'github' });
    for (const u of leavers) org.assignUserToApp(github.id, u.id);

    okta = await startFakeOkta(oktaOpts);
    const config = testConfig({ OKTA_ORG_URL: okta.url, OKTA_API_TOKEN: OKTA_TOKEN, REVOKE_MODE: 'auto' });
    const logger = createLogger({ level: 'silent' });
    const report = await runSync({ ...testDeps(t.db), clock: systemClock, config }, await createConnector('okta', config, logger));
    expect(report.status, JSON.stringify(report)).toBe('succeeded');
    oktaOpts.latencyMs = OKTA_LATENCY_MS;

    fake = await startFakeSlack();
    serve = serveWithLease(3);
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    await fake?.close();
    await okta?.close();
  });

  const serveWithLease = (seconds: number) =>
    new ServeUnderFault(run, {
      databaseUrl: t.url!,
      slackApiUrl: fake.apiUrl,
      env: { OKTA_ORG_URL: okta.url, OKTA_API_TOKEN: OKTA_TOKEN, REVOKE_MODE: 'auto', HR_WEBHOOK_SECRET: HR_SECRET, TASK_LEASE_S: String(seconds) },
    });

  const deactivations = (u: FakeUser) => okta.stats.byPath.get(`/api/v1/users/${u.id}/lifecycle/deactivate`) ?? 0;

  it('deactivates every leaver once in the log, whatever was killed mid-deactivation', async () => {
    const caseIds: string[] = [];
    for (const [i, leaver] of leavers.entries()) {
      const current = await serve.start();
      const before = deactivations(leaver);
      const now = new Date().toISOString();
      const res = await postHr(current.url, {
        id: `fault-hr-${run.seed}-${i}`,
        type: 'employee.terminated',
        occurred_at: now,
        employee: { email: leaver.profile.email, name: `Leaver${i} Acme`, manager_email: 'maya@acme.test', effective_at: now },
      });
      expect(res.status, `POST /hooks/hr for ${leaver.profile.email}: ${res.status} ${res.text}\n${run.explain()}`).toBe(202);
      caseIds.push((JSON.parse(res.text) as { case_id: string }).case_id);
      await waitUntil(`the deactivation of ${leaver.profile.email} to reach the fake Okta`, () => deactivations(leaver) > before, {
        timeoutMs: 90_000,
        intervalMs: 20,
        explain: () => run.explain(),
        abortIf: () => (current.alive() ? undefined : 'serve exited'),
      });
      // Inside the fake's latency: Okta carries the deactivation out after the caller died.
      await serve.kill(run.rng.between(0, OKTA_LATENCY_MS * 0.95), `deactivating leaver${i}`, () => `Okta status ${leaver.status}`);
    }

    // The last orphaned task's lease (3 s) runs out before the final restart, so its start-up run
    // takes it at once; a restart inside the lease is the next test's subject.
    await sleep(3500);
    const restartedAt = Date.now();
    await serve.start();
    const healthyAt = Date.now();
    const children = await t.db.select({ id: accessRequest.id }).from(accessRequest).where(inArray(accessRequest.parentId, caseIds));
    const requestIds = children.map((c) => c.id);
    const tasksOf = () => t.db.select().from(task).where(inArray(task.requestId, requestIds));
    await waitUntil('every task of the leavers to be done', async () => {
      const rows = await tasksOf();
      return rows.length > 0 && rows.every((r) => r.status === 'done') ? true : undefined;
    }, {
      timeoutMs: 150_000,
      intervalMs: 250,
      explain: () => run.explain(),
    });
    run.note(
      `last restart (3.5 s after the last kill): healthy after ${healthyAt - restartedAt} ms, every task done ${Date.now() - healthyAt} ms later`,
    );

    const rows = await tasksOf();
    run.note(`deactivate calls per leaver: ${leavers.map((u, i) => `leaver${i}=${deactivations(u)}`).join(', ')}; attempts per task: ${rows.map((r) => r.attempts).join(', ')}`);
    expect(rows.length, 'one automated deactivation task per leaver (their grants go with the account)').toBe(LEAVERS);
    expect(rows.filter((r) => r.status === 'running'), `tasks left running\n${run.explain()}`).toEqual([]);
    expect(
      rows.filter((r) => r.status !== 'done' || r.doneBy !== 'connector:okta' || !r.automated).map((r) => ({ id: r.id, status: r.status, doneBy: r.doneBy, automated: r.automated, lastError: r.lastError })),
      `tasks not done by the Okta connector\n${run.explain()}`,
    ).toEqual([]);

    const events = await t.db
      .select({ task: sql<string>`${evidenceEvent.subject}->>'task'`, n: sql<number>`count(*)::int` })
      .from(evidenceEvent)
      .where(eq(evidenceEvent.action, 'task.done'))
      .groupBy(sql`${evidenceEvent.subject}->>'task'`);
    const perTask = new Map(events.map((e) => [e.task, e.n]));
    expect(rows.map((r) => `${r.id}: ${perTask.get(r.id) ?? 0}`), `task.done events per task\n${run.explain()}`).toEqual(rows.map((r) => `${r.id}: 1`));
    expect(leavers.map((u) => `${u.profile.email} ${u.status}`)).toEqual(leavers.map((u) => `${u.profile.email} DEPROVISIONED`));
    expect(stayers.map((u) => u.status), 'nobody else was touched').toEqual(stayers.map(() => 'ACTIVE'));
    expect(run.landed(), run.explain()).toBe(LEAVERS);

    await serve.stop();
    await expectChainIntact(run, dir, t);
  }, 420_000);

  it('resumes a task orphaned by a dead worker once its lease runs out, not at the next minute poll', async () => {
    const lease = 15;
    const slow = serveWithLease(lease);
    try {
      const current = await slow.start();
      const before = deactivations(late);
      const now = new Date().toISOString();
      const res = await postHr(current.url, {
        id: `fault-hr-${run.seed}-late`,
        type: 'employee.terminated',
        occurred_at: now,
        employee: { email: late.profile.email, name: 'Late Acme', manager_email: 'maya@acme.test', effective_at: now },
      });
      expect(res.status, `${res.text}\n${run.explain()}`).toBe(202);
      const caseId = (JSON.parse(res.text) as { case_id: string }).case_id;
      await waitUntil('the deactivation of late@acme.test to reach the fake Okta', () => deactivations(late) > before, {
        timeoutMs: 90_000,
        intervalMs: 20,
        explain: () => run.explain(),
        abortIf: () => (current.alive() ? undefined : 'serve exited'),
      });
      await slow.kill(run.rng.between(0, OKTA_LATENCY_MS * 0.9), 'deactivating late@acme.test (lease test)');
      const [orphan] = await t.db
        .select({ id: task.id, status: task.status, lockedUntil: task.lockedUntil })
        .from(task)
        .innerJoin(accessRequest, eq(accessRequest.id, task.requestId))
        .where(eq(accessRequest.parentId, caseId));
      expect(orphan, run.explain()).toMatchObject({ status: 'running' });
      const leaseEnds = orphan!.lockedUntil!.getTime();

      // Restarted at once, well within the lease: the start-up run cannot take the task yet.
      await slow.start();
      if (Date.now() >= leaseEnds) {
        run.note(`lease test: the restart took longer than the ${lease} s lease; nothing to show on this machine`);
        return;
      }
      const done = await waitUntil('the orphaned task to be done', async () => {
        const [row] = await t.db.select({ status: task.status, doneAt: task.doneAt }).from(task).where(eq(task.id, orphan!.id));
        return row?.status === 'done' ? row.doneAt! : undefined;
      }, { timeoutMs: lease * 1000 + 90_000, intervalMs: 250, explain: () => run.explain() });
      const afterLease = done.getTime() - leaseEnds;
      run.note(`lease test: the orphaned task was done ${afterLease} ms after its ${lease} s lease ran out`);
      expect(
        afterLease,
        `a task left 'running' by a dead serve was taken up ${afterLease} ms after its lease ran out: nothing wakes the task runner when a lease expires, so it waits for the 60 s poll (after a crash the deactivation of a leaver is late by up to a minute more than TASK_LEASE_S)\n${run.explain()}`,
      ).toBeLessThan(10_000);
    } finally {
      await slow.stop();
    }
  }, 240_000);
});

async function postHr(baseUrl: string, event: unknown): Promise<{ status: number; text: string }> {
  const raw = JSON.stringify(event);
  const ts = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', HR_SECRET).update(`${ts}.${raw}`).digest('hex');
  const res = await fetch(`${baseUrl}/hooks/hr`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-attest-signature': `t=${ts},v1=${v1}` }, body: raw });
  return { status: res.status, text: await res.text() };
}
