import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { createOktaConnector } from '../../src/connectors/okta/index.js';
import { createGoogleConnector } from '../../src/connectors/google/index.js';
import { createFileConnector } from '../../src/connectors/file/index.js';
import type { Connector } from '../../src/connectors/types.js';
import { accessGrant, accessRequest, account, evidenceEvent, person, resource, task } from '../../src/db/schema/index.js';
import { runSync, type SyncReport } from '../../src/domain/directory/run-sync.js';
import { startOffboarding } from '../../src/domain/lifecycle/start-offboarding.js';
import { runAutomatedTasks } from '../../src/domain/lifecycle/run-automated-tasks.js';
import { completeTask } from '../../src/domain/lifecycle/complete-task.js';
import { getCase, type CaseTask } from '../../src/domain/lifecycle/get-case.js';
import { grantRole } from '../../src/domain/people/grant-role.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { startFakeOkta, type FakeOkta } from '../fakes/okta/index.js';
import { startFakeGoogleWithKey, type FakeGoogle } from '../fakes/google-server.js';
import { awsCsv, buildOktaOrg, GOOGLE_ADMIN, PEOPLE, seedGoogle } from '../factories/offboarding-org.js';

/**
 * The check, end to end: a person with accounts in Okta, Google Workspace and a
 * directory file (AWS) is offboarded. Every account and grant gets a task; the automated ones
 * are carried out against the fake Okta and fake Google at the effective time; the manual ones
 * are marked done by their owners only; and the case closes only once syncs of all three
 * sources no longer see the access.
 */

const TOKEN = 'ssws-e2e-token';
const HOUR = 3_600_000;
const SLA_HOURS = 24;

let t: TestDatabase;
let dir: string;
let csvPath: string;
let okta: FakeOkta;
let google: FakeGoogle;
let oktaOrg: ReturnType<typeof buildOktaOrg>;
let googleOrg: ReturnType<typeof seedGoogle>;
let deps: ReturnType<typeof testDeps>;
let connectors: Record<'okta' | 'google' | 'file', Connector>;

const ids = { leo: '', maya: '', omar: '', hana: '', ivan: '' };
let caseId: string;
let effectiveAt: Date;
let dueAt: Date;

const START = new Date('2026-10-01T09:00:00Z');
const DESC = {
  okta: `Deactivate ${PEOPLE.leo}'s okta account (${PEOPLE.leo})`,
  google: `Suspend ${PEOPLE.leo}'s google account (${PEOPLE.leo})`,
  awsAccount: `Deactivate ${PEOPLE.leo}'s aws account (leo.acme)`,
  awsRole: `Remove ${PEOPLE.leo} from PowerUserAccess in aws`,
} as const;

const personId = async (email: string) => (await t.db.select({ id: person.id }).from(person).where(eq(person.email, email)))[0]!.id;
const events = (action: string) => t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, action));
const taskBy = (tasks: CaseTask[], description: string) => {
  const found = tasks.find((x) => x.description === description);
  if (!found) throw new Error(`no task "${description}" among ${tasks.map((x) => x.description).join(' | ')}`);
  return found;
};
const children = () => t.db.select().from(accessRequest).where(eq(accessRequest.parentId, caseId));
/** Leo's live accounts and grants per source, as the directory snapshot holds them. */
async function leoAccess() {
  const accounts = await t.db.select().from(account).where(and(eq(account.personId, ids.leo), isNull(account.removedAt)));
  const grants = await t.db
    .select({ id: accessGrant.id, source: accessGrant.source, accountId: accessGrant.accountId, resource: resource.name, via: accessGrant.via })
    .from(accessGrant)
    .innerJoin(resource, eq(resource.id, accessGrant.resourceId))
    .where(and(inArray(accessGrant.accountId, accounts.map((a) => a.id)), isNull(accessGrant.removedAt)));
  return { accounts, grants };
}
async function syncAll(): Promise<Record<'okta' | 'google' | 'file', SyncReport>> {
  return {
    okta: await runSync(deps, connectors.okta),
    google: await runSync(deps, connectors.google),
    file: await runSync(deps, connectors.file),
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'attest-offboard-e2e-'));

  oktaOrg = buildOktaOrg();
  okta = await startFakeOkta({ apiToken: TOKEN, org: oktaOrg.org });
  const g = await startFakeGoogleWithKey(dir, { subjects: [GOOGLE_ADMIN] });
  google = g.fake;
  googleOrg = seedGoogle(google.store);
  csvPath = join(dir, 'aws.csv');
  writeFileSync(csvPath, awsCsv(true));

  connectors = {
    okta: createOktaConnector({ orgUrl: okta.url, apiToken: TOKEN, removalEnabled: true, maxRetries: 1 }),
    google: createGoogleConnector({ credentialsFile: g.keyFile, adminSubject: GOOGLE_ADMIN, apiUrl: google.url, retry: { retries: 1, baseDelayMs: 5 } }),
    file: createFileConnector({ path: csvPath }),
  };
  deps = testDeps(t.db, { REVOKE_MODE: 'auto', OFFBOARDING_SLA_HOURS: String(SLA_HOURS) }, connectors);
  deps.clock.set(START);
});

afterAll(async () => {
  await okta?.close();
  await google?.close();
  await t?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('offboarding across Okta, Google Workspace and a directory file', () => {
  it('syncs the three sources into one person with an account in each', async () => {
    const reports = await syncAll();
    for (const r of Object.values(reports)) expect(r).toMatchObject({ status: 'succeeded' });

    for (const k of Object.keys(ids) as (keyof typeof ids)[]) ids[k] = await personId(PEOPLE[k]);
    await grantRole(deps, { email: PEOPLE.hana, role: 'hr', actor: 'test' });
    await grantRole(deps, { email: PEOPLE.ivan, role: 'it', actor: 'test' });

    const [leo] = await t.db.select().from(person).where(eq(person.id, ids.leo));
    expect(leo).toMatchObject({ status: 'active', managerId: ids.maya });

    const { accounts, grants } = await leoAccess();
    expect(accounts.map((a) => [a.source, a.system, a.login, a.status]).sort()).toEqual([
      ['file', 'aws', 'leo.acme', 'active'],
      ['google', 'google', PEOPLE.leo, 'active'],
      ['okta', 'okta', PEOPLE.leo, 'active'],
    ]);
    expect(grants.map((x) => `${x.source}: ${x.resource} (${x.via})`).sort()).toEqual([
      'file: PowerUserAccess (direct)',
      'google: Engineering list (direct)',
      'okta: Engineering (direct)',
      'okta: GitHub (direct)',
      'okta: Payments On-call (direct)',
    ]);
    const [aws] = await t.db.select().from(resource).where(eq(resource.externalId, 'aws:PowerUserAccess'));
    expect(aws).toMatchObject({ system: 'aws', kind: 'role', privileged: true, ownerEmail: PEOPLE.omar });
  });

  it('HR starts the case: a task for every account and grant, with its owner and deadline', async () => {
    effectiveAt = new Date(START.getTime() + HOUR);
    dueAt = new Date(effectiveAt.getTime() + SLA_HOURS * HOUR);
    const res = await startOffboarding(deps, deps.connectors, {
      person: PEOPLE.leo,
      effectiveAt,
      reasonCategory: 'resignation',
      actor: `person:${ids.hana}`,
      actorPersonId: ids.hana,
      origin: 'slack',
    });
    expect(res.created).toBe(true);
    caseId = res.caseId;

    const view = await getCase(t.db, caseId);
    expect(view).toMatchObject({ kind: 'offboard', status: 'in_progress', person: { id: ids.leo }, effectiveAt, dueAt, verifiedAt: null });
    expect(res.taskIds.sort()).toEqual(view.tasks.map((x) => x.id).sort());
    const shape = (x: CaseTask) => ({
      description: x.description,
      action: x.action,
      automated: x.automated,
      ownerId: x.ownerId,
      ownerRole: x.ownerRole,
      status: x.status,
      notBefore: x.notBefore,
      deadline: x.deadline,
      verified: x.verified,
    });
    const common = { status: 'open', notBefore: effectiveAt, deadline: dueAt, verified: false };
    expect(view.tasks.map(shape).sort((a, b) => a.description.localeCompare(b.description))).toEqual(
      [
        { description: DESC.okta, action: 'deactivate_account', automated: true, ownerId: null, ownerRole: 'it', ...common },
        { description: DESC.google, action: 'suspend_account', automated: true, ownerId: null, ownerRole: 'it', ...common },
        { description: DESC.awsAccount, action: 'deactivate_account', automated: false, ownerId: null, ownerRole: 'it', ...common },
        { description: DESC.awsRole, action: 'remove_grant', automated: false, ownerId: ids.omar, ownerRole: null, ...common },
      ].sort((a, b) => a.description.localeCompare(b.description)),
    );
    expect(taskBy(view.tasks, DESC.awsRole).ownerName).toBe('Omar Acme');

    // Every account and every grant is accounted for: an account-level removal in Okta and
    // Google covers that account's grants; the file account and its grant are removed one by one.
    const { accounts, grants } = await leoAccess();
    const reqs = await children();
    expect(reqs).toHaveLength(4);
    expect(reqs.every((r) => r.kind === 'revoke' && r.status === 'in_progress' && r.approvedBy === `person:${ids.hana}`)).toBe(true);
    expect(reqs.filter((r) => !r.grantId).map((r) => r.accountId).sort()).toEqual(accounts.map((a) => a.id).sort());
    const [started] = await events('offboarding.started');
    const planned = started!.payload.tasks as { description: string; covers: string[] }[];
    const covered = new Set([...planned.flatMap((p) => p.covers), ...reqs.map((r) => r.grantId).filter((x): x is string => !!x)]);
    expect([...covered].sort()).toEqual(grants.map((x) => x.id).sort());
    const coversOf = (d: string) => planned.find((p) => p.description === d)!.covers.sort();
    expect(coversOf(DESC.okta)).toEqual(grants.filter((x) => x.source === 'okta').map((x) => x.id).sort());
    expect(coversOf(DESC.google)).toEqual(grants.filter((x) => x.source === 'google').map((x) => x.id).sort());
    expect(coversOf(DESC.awsAccount)).toEqual([]);

    expect((await t.db.select().from(person).where(eq(person.id, ids.leo)))[0]!.status).toBe('leaving');
  });

  it('carries out the automated removals at the fakes only once the effective time has passed', async () => {
    expect(await runAutomatedTasks(deps, deps.connectors)).toMatchObject({ done: 0, retried: 0, fellBack: 0 });
    expect(okta.count(/\/lifecycle\//)).toBe(0);
    expect(google.counts['users.update']).toBeUndefined();
    expect(oktaOrg.org.users.get(oktaOrg.users.leo.id)!.status).toBe('ACTIVE');
    expect(google.store.findUser(googleOrg.users.leo.id)!.suspended).toBe(false);

    deps.clock.set(new Date(effectiveAt.getTime() + 60_000));
    expect(await runAutomatedTasks(deps, deps.connectors)).toMatchObject({ done: 2, retried: 0, fellBack: 0 });
    expect(oktaOrg.org.users.get(oktaOrg.users.leo.id)!.status).toBe('DEPROVISIONED');
    expect(okta.count(new RegExp(`^/api/v1/users/${oktaOrg.users.leo.id}/lifecycle/deactivate$`))).toBe(1);
    expect(google.store.findUser(googleOrg.users.leo.id)!.suspended).toBe(true);
    expect(google.counts['users.update']).toBe(1);
    // Nobody else was touched.
    expect([...oktaOrg.org.users.values()].filter((u) => u.status !== 'ACTIVE').map((u) => u.id)).toEqual([oktaOrg.users.leo.id]);
    expect(google.store.users.filter((u) => u.suspended).map((u) => u.primaryEmail)).toEqual([PEOPLE.leo]);

    const view = await getCase(t.db, caseId);
    expect(taskBy(view.tasks, DESC.okta)).toMatchObject({ status: 'done', doneBy: 'connector:okta', verified: false });
    expect(taskBy(view.tasks, DESC.google)).toMatchObject({ status: 'done', doneBy: 'connector:google', verified: false });
    expect(taskBy(view.tasks, DESC.awsAccount).status).toBe('open');
    expect(taskBy(view.tasks, DESC.awsRole).status).toBe('open');
    expect(view.tasks.some((x) => x.verified)).toBe(false);
    expect(view.status).toBe('in_progress');
    expect((await children()).filter((r) => r.status === 'verified')).toHaveLength(0);

    // A second pass finds nothing left to do.
    expect(await runAutomatedTasks(deps, deps.connectors)).toMatchObject({ done: 0, retried: 0, fellBack: 0 });
    expect(okta.count(/\/lifecycle\//)).toBe(1);
  });

  it('takes "Mark done" on a manual task from its owner (or IT) only', async () => {
    const view = await getCase(t.db, caseId);
    const roleTask = taskBy(view.tasks, DESC.awsRole);
    const accountTask = taskBy(view.tasks, DESC.awsAccount);
    const refusedBefore = (await events('security.refused')).length;

    // The manager, IT (not the resource owner) and HR may not mark these done.
    await expect(completeTask(deps, { taskId: roleTask.id, actorPersonId: ids.maya })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(completeTask(deps, { taskId: roleTask.id, actorPersonId: ids.ivan })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(completeTask(deps, { taskId: accountTask.id, actorPersonId: ids.hana })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(completeTask(deps, { taskId: accountTask.id, actorPersonId: ids.leo })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await events('security.refused')).length).toBe(refusedBefore + 4);
    expect((await t.db.select().from(task).where(inArray(task.id, [roleTask.id, accountTask.id]))).map((x) => x.status)).toEqual(['open', 'open']);

    deps.clock.advance(2 * HOUR);
    expect(await completeTask(deps, { taskId: roleTask.id, actorPersonId: ids.omar, note: 'IAM user detached from PowerUserAccess' })).toMatchObject({
      outcome: 'done',
    });
    expect(await completeTask(deps, { taskId: accountTask.id, actorPersonId: ids.ivan })).toMatchObject({ outcome: 'done', requestDone: true });
    expect(await completeTask(deps, { taskId: accountTask.id, actorPersonId: ids.ivan })).toMatchObject({ outcome: 'already_done', doneBy: `person:${ids.ivan}` });

    // Carried out is not proved: the case is done, not closed.
    const after = await getCase(t.db, caseId);
    expect(taskBy(after.tasks, DESC.awsRole)).toMatchObject({ status: 'done', doneBy: `person:${ids.omar}`, doneByName: 'Omar Acme' });
    expect(taskBy(after.tasks, DESC.awsAccount)).toMatchObject({ status: 'done', doneBy: `person:${ids.ivan}` });
    expect(after.tasks.every((x) => x.status === 'done' && !x.verified)).toBe(true);
    expect(after.status).toBe('done');
    expect(after.verifiedAt).toBeNull();
    expect((await children()).map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(await events('offboarding.closed')).toHaveLength(0);
  });

  it('closes the case only after syncs of all three sources verify every removal', async () => {
    // The admin removed Leo from AWS and updates the file accordingly.
    writeFileSync(csvPath, awsCsv(false));
    deps.clock.advance(HOUR);

    const oktaRun = await runSync(deps, connectors.okta);
    expect(oktaRun).toMatchObject({ status: 'succeeded', verified: 1 });
    expect((await getCase(t.db, caseId)).status).toBe('done');
    const googleRun = await runSync(deps, connectors.google);
    expect(googleRun).toMatchObject({ status: 'succeeded', verified: 1 });
    expect((await getCase(t.db, caseId)).status).toBe('done'); // the AWS removals are still unproved
    expect(await events('offboarding.closed')).toHaveLength(0);
    const fileRun = await runSync(deps, connectors.file);
    expect(fileRun).toMatchObject({ status: 'succeeded', verified: 2, removed: 2 });

    // Each removal is proved by the sync of its own source.
    const runOf: Record<string, string> = { okta: oktaRun.runId!, google: googleRun.runId!, file: fileRun.runId! };
    const reqs = await children();
    const sourceOf = new Map((await t.db.select().from(account).where(eq(account.personId, ids.leo))).map((a) => [a.id, a.source]));
    expect(reqs).toHaveLength(4);
    for (const r of reqs) {
      expect(r).toMatchObject({ status: 'verified', verifiedBySyncRunId: runOf[sourceOf.get(r.accountId!)!], verifiedAt: deps.clock.now() });
    }

    const closed = await getCase(t.db, caseId);
    expect(closed.status).toBe('verified');
    expect(closed.verifiedAt).toEqual(deps.clock.now());
    expect(closed.tasks.every((x) => x.status === 'done' && x.verified)).toBe(true);
    const [kase] = await t.db.select().from(accessRequest).where(eq(accessRequest.id, caseId));
    expect(kase!.verifiedBySyncRunId).toBe(fileRun.runId);
    const closedEvents = await events('offboarding.closed');
    expect(closedEvents).toHaveLength(1);
    expect(closedEvents[0]).toMatchObject({
      actor: 'sync:file',
      subject: { request: caseId, person: ids.leo, syncRun: fileRun.runId },
      payload: { syncRun: fileRun.runId, removals: 4 },
    });
    expect((await events('removal.verified')).filter((e) => e.payload.case === caseId)).toHaveLength(4);
    expect(closed.timeline.at(-1)).toMatchObject({ event: 'closed', actor: 'sync:file' });

    // Leo's access is gone everywhere: Okta and Google accounts disabled, the AWS account removed.
    const { accounts } = await leoAccess();
    expect(accounts.map((a) => [a.source, a.status]).sort()).toEqual([
      ['google', 'suspended'],
      ['okta', 'deprovisioned'],
    ]);
    expect((await t.db.select().from(person).where(eq(person.id, ids.leo)))[0]!.status).toBe('terminated');

    // A further round of syncs changes nothing about the closed case.
    const again = await syncAll();
    for (const r of Object.values(again)) expect(r).toMatchObject({ status: 'succeeded', verified: 0 });
    expect(await events('offboarding.closed')).toHaveLength(1);

    const chain = await verifyChain(t.db);
    expect(chain.ok).toBe(true);
    expect(chain.events).toBeGreaterThan(20);
  });
});
