import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { group, member, memoryConnector, user } from '../fakes/memory-connector.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { accessRequest, evidenceEvent, outbox, person, resource } from '../../src/db/schema/index.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { startOnboarding } from '../../src/domain/lifecycle/start-onboarding.js';
import { runAutomatedTasks } from '../../src/domain/lifecycle/run-automated-tasks.js';
import { completeTask } from '../../src/domain/lifecycle/complete-task.js';
import { getCase } from '../../src/domain/lifecycle/get-case.js';
import { addTemplate } from '../../src/domain/lifecycle/add-template.js';
import { listTemplates } from '../../src/domain/lifecycle/list-templates.js';
import { removeTemplate } from '../../src/domain/lifecycle/remove-template.js';
import { grantRole } from '../../src/domain/people/grant-role.js';

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
const okta = memoryConnector({
  accounts: [user('u-boss', 'boss@acme.test')],
  resources: [group('g-eng', 'Engineering'), group('g-all', 'All Staff'), group('g-sales', 'Sales'), { externalId: 'app-figma', system: 'okta', kind: 'app', name: 'Figma', privileged: false }],
  grants: [],
});
okta.addGroupMembership = async (accountId, groupId) => {
  okta.org.grants.push(member(accountId, groupId));
};
const registry = lazyRegistry(async (s) => (s === 'okta' ? okta : undefined));
let bossId: string;
let hrId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  await runSync(deps, okta);
  bossId = (await t.db.select().from(person).where(eq(person.email, 'boss@acme.test')))[0]!.id;
  hrId = (await grantRole(deps, { email: 'hr@acme.test', role: 'hr', actor: 'test' })).personId;
  await t.db.update(person).set({ slackUserId: 'UBOSS' }).where(eq(person.id, bossId));
  await t.db.update(person).set({ slackUserId: 'UHR' }).where(eq(person.id, hrId));
  await t.db.update(resource).set({ ownerId: bossId }).where(eq(resource.externalId, 'app-figma'));
});
afterAll(async () => {
  await t.drop();
});

describe('access templates', () => {
  it('adds, lists and removes templates by system:name, refusing duplicates and unknown resources', async () => {
    await addTemplate(deps, { name: 'Engineering', department: 'engineering', resources: ['okta:Engineering', 'okta:figma'], actor: 'cli:test' });
    await addTemplate(deps, { name: 'Everyone', resources: ['okta:All Staff'], actor: 'cli:test' });
    const sales = (await t.db.select().from(resource).where(eq(resource.externalId, 'g-sales')))[0]!;
    await addTemplate(deps, { name: 'Sales', department: 'Sales', resources: [sales.id], actor: 'cli:test' });
    await expect(addTemplate(deps, { name: 'ENGINEERING', resources: ['okta:Sales'], actor: 'cli:test' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(addTemplate(deps, { name: 'X', resources: ['okta:Nope'], actor: 'cli:test' })).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'resources' });
    const list = await listTemplates(t.db);
    expect(list.map((l) => [l.name, l.department, l.resources.map((r) => r.name)])).toEqual([
      ['Engineering', 'engineering', ['Engineering', 'Figma']],
      ['Everyone', null, ['All Staff']],
      ['Sales', 'Sales', ['Sales']],
    ]);
    await removeTemplate(deps, { name: 'sales', actor: 'cli:test' });
    await expect(removeTemplate(deps, { name: 'sales', actor: 'cli:test' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await listTemplates(t.db)).map((l) => l.name)).toEqual(['Engineering', 'Everyone']);
  });
});

describe('onboarding', () => {
  it('opens a case from the matching templates and provisions the automatable access on the start date', async () => {
    const startDate = new Date('2026-10-05T00:00:00Z');
    const res = await startOnboarding(deps, registry, {
      email: 'New.Hire@acme.test',
      name: 'New Hire',
      managerEmail: 'boss@acme.test',
      department: 'Engineering',
      title: 'Engineer',
      startDate,
      actor: `person:${hrId}`,
      actorPersonId: hrId,
      origin: 'slack',
    });
    const hire = (await t.db.select().from(person).where(eq(person.id, res.personId)))[0]!;
    expect(hire).toMatchObject({ email: 'new.hire@acme.test', status: 'active', managerId: bossId, source: 'hr' });

    const view = await getCase(t.db, res.caseId);
    expect(view).toMatchObject({ kind: 'onboard', status: 'in_progress', effectiveAt: startDate, dueAt: startDate });
    expect(view.tasks.map((x) => [x.description, x.automated, x.ownerId]).sort()).toEqual([
      ['Add new.hire@acme.test to All Staff in okta', true, null],
      ['Add new.hire@acme.test to Engineering in okta', true, null],
      ['Give new.hire@acme.test access to Figma in okta', false, bossId],
    ]);
    const grants = await t.db.select().from(accessRequest).where(eq(accessRequest.parentId, res.caseId));
    expect(grants.map((g) => g.approvedBy).sort()).toEqual(['template:Engineering', 'template:Engineering', 'template:Everyone']);
    const messages = await t.db.select().from(outbox);
    expect(messages.find((m) => m.kind === 'onboarding.summary')).toMatchObject({ channel: 'UBOSS', payload: { caseId: res.caseId } });
    expect(messages.find((m) => m.kind === 'case.status')).toMatchObject({ channel: 'UHR', payload: { caseId: res.caseId } });
    expect(messages.find((m) => m.kind === 'task.assigned')).toMatchObject({ channel: 'UBOSS' });

    // Before day one nothing is done; on day one, before the account exists, it is retried.
    expect(await runAutomatedTasks(deps, registry)).toMatchObject({ done: 0, retried: 0 });
    deps.clock.set(startDate);
    expect(await runAutomatedTasks(deps, registry)).toMatchObject({ done: 0, retried: 2 });
    okta.org.accounts.push(user('u-new', 'new.hire@acme.test', { manager: 'u-boss' }));
    await runSync(deps, okta);
    deps.clock.advance(2 * 60_000);
    expect(await runAutomatedTasks(deps, registry)).toMatchObject({ done: 2 });
    expect(okta.org.grants).toHaveLength(2);
    expect(okta.org.grants).toEqual(expect.arrayContaining([member('u-new', 'g-eng'), member('u-new', 'g-all')]));

    const figma = view.tasks.find((x) => !x.automated)!;
    await completeTask(deps, { taskId: figma.id, actorPersonId: bossId });
    expect((await getCase(t.db, res.caseId)).status).toBe('done');
    const actions = (await t.db.select().from(evidenceEvent)).map((e) => e.action);
    expect(actions).toContain('onboarding.started');
    expect(actions).toContain('onboarding.done');
  });

  it('refuses someone without the hr role and returns an open case instead of a second', async () => {
    await expect(
      startOnboarding(deps, registry, { email: 'x@acme.test', name: 'X', startDate: new Date('2026-11-01T00:00:00Z'), actor: `person:${bossId}`, actorPersonId: bossId, origin: 'slack' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.db.select().from(person).where(eq(person.email, 'x@acme.test'))).toHaveLength(0);
    const input = { email: 'sam@acme.test', name: 'Sam', department: 'Sales', startDate: new Date('2026-11-01T00:00:00Z'), actor: 'cli:test', origin: 'cli' as const };
    const first = await startOnboarding(deps, registry, input);
    expect(first.taskIds).toHaveLength(1); // only "Everyone" matches
    expect(await startOnboarding(deps, registry, input)).toMatchObject({ caseId: first.caseId, created: false });
  });
});
