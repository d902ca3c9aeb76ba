import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { accessRequest, evidenceEvent, person, personRole, slackMessage, task } from '../../src/db/schema/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { completeTask } from '../../src/domain/lifecycle/complete-task.js';
import type { OutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { group, member, memoryConnector, user } from '../fakes/memory-connector.js';
import type { TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { until } from '../helpers/review-fixture.js';
import type { TestServer } from '../helpers/serve.js';
import { serverForFile } from '../helpers/server-for-file.js';
import { slashAttest } from '../helpers/slash-command.js';
import { startTestOutboxWorker } from '../helpers/test-outbox-worker.js';

/** HR offboards someone from Slack: the modal, the case it opens, and the live case message. */
let t: TestDatabase;
let s: TestServer;
serverForFile((started) => ({ t, s } = started));
let worker: OutboxWorker;
const ids: Record<string, string> = {};

const okta = memoryConnector({
  accounts: [user('u-hal', 'hal@acme.test'), user('u-ana', 'ana@acme.test'), user('u-emma', 'emma@acme.test'), user('u-ivy', 'ivy@acme.test')],
  resources: [group('g-eng', 'Engineering'), group('g-adm', 'AWS Admins', true)],
  grants: [member('u-ana', 'g-eng'), member('u-ana', 'g-adm')],
});

beforeAll(async () => {
  await runSync(testDeps(t.db), okta);
  for (const [name, slack, tz] of [['hal', 'U0HAL', 'Europe/Paris'], ['ana', 'U0ANA', null], ['emma', 'U0EMMA', null], ['ivy', 'U0IVY', null]] as const) {
    const [p] = await t.db.update(person).set({ slackUserId: slack, slackTz: tz }).where(eq(person.email, `${name}@acme.test`)).returning();
    ids[name] = p!.id;
  }
  await t.db.insert(personRole).values([
    { personId: ids.hal!, role: 'hr', grantedBy: 'test' },
    { personId: ids.ivy!, role: 'it', grantedBy: 'test' },
  ]);
  worker = startTestOutboxWorker(s);
});
afterAll(async () => {
  await worker?.stop();
});

const attest = (userId: string, text: string) => slashAttest(s, userId, text);

const submit = (userId: string, values: Record<string, Record<string, unknown>>) =>
  s.slack.viewSubmission({ userId, callbackId: CALLBACK.offboard, values: Object.fromEntries(Object.entries(values).map(([b, v]) => [b, { value: v }])) });
const cases = () => t.db.select().from(accessRequest).where(and(eq(accessRequest.kind, 'offboard'), eq(accessRequest.subjectPersonId, ids.ana!)));

describe('/attest offboard', () => {
  it('refuses someone without the hr role, ephemerally and on record, and opens nothing', async () => {
    const body = await attest('U0EMMA', 'offboard');
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('only for people with the hr role');
    expect(s.fake.callsTo('views.open')).toHaveLength(0);
    const refused = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'security.refused'));
    expect(refused.some((e) => e.actor === `person:${ids.emma}` && e.payload.attempted === '/attest offboard')).toBe(true);
    // A forged submission of the form is refused by the domain too.
    const res = await submit('U0EMMA', { [BLOCK.offboardUser]: { type: 'users_select', selected_user: 'U0ANA' }, [BLOCK.offboardReason]: { type: 'static_select', selected_option: { value: 'resignation' } } });
    expect(res.json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.offboardUser]: 'Only HR can start offboarding.' } });
    expect(await cases()).toHaveLength(0);
  });

  it('opens the modal for HR, checks the form, opens the case, and posts then refreshes the checklist', async () => {
    const body = await attest('U0HAL', 'offboard');
    expect(body.text).toContain('Fill in the form');
    const opened = await s.fake.waitFor('views.open');
    expect(opened.body.view).toMatchObject({ callback_id: CALLBACK.offboard });
    expect(JSON.stringify(opened.body.view)).toContain('Europe/Paris');

    const reason = { [BLOCK.offboardReason]: { type: 'static_select', selected_option: { value: 'resignation' } } };
    expect((await submit('U0HAL', reason)).json()).toMatchObject({ errors: { [BLOCK.offboardUser]: expect.any(String) } });
    expect((await submit('U0HAL', { ...reason, [BLOCK.offboardUser]: { type: 'users_select', selected_user: 'U0NOBODY' } })).json()).toMatchObject({
      errors: { [BLOCK.offboardUser]: expect.stringContaining('not in the directory') },
    });

    const ok = await submit('U0HAL', {
      ...reason,
      [BLOCK.offboardUser]: { type: 'users_select', selected_user: 'U0ANA' },
      [BLOCK.offboardDate]: { type: 'datepicker', selected_date: '2026-10-02' },
      [BLOCK.offboardTime]: { type: 'timepicker', selected_time: '18:00' },
      [BLOCK.offboardNotes]: { type: 'plain_text_input', value: 'last day Friday' },
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const [kase] = await cases();
    // 18:00 in Paris (UTC+2 in October) is 16:00 UTC.
    expect(kase).toMatchObject({ status: 'in_progress', reason: 'resignation', requestedBy: `person:${ids.hal}`, origin: 'slack', effectiveAt: new Date('2026-10-02T16:00:00Z') });
    const tasks = await t.db.select().from(task).innerJoin(accessRequest, eq(accessRequest.id, task.requestId)).where(eq(accessRequest.parentId, kase!.id));
    expect(tasks.length).toBeGreaterThanOrEqual(2);

    const posted = await s.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'U0HAL' && JSON.stringify(c.body.blocks).includes('Offboarding'));
    const blocks = JSON.stringify(posted.body.blocks);
    expect(blocks).toContain('Engineering');
    expect(blocks).toContain(':hourglass_flowing_sand:');
    expect(blocks).toContain('last day Friday');
    // The message is remembered under HR's thread key once Slack answered (what case.refresh edits).
    const msg = await until(async () => (await t.db.select().from(slackMessage).where(eq(slackMessage.threadKey, `case:${kase!.id}:${ids.hal}`)))[0]);

    const first = tasks.find((r) => !r.task.automated)!.task;
    await completeTask(s.deps, { taskId: first.id, actorPersonId: ids.ivy! });
    const updated = await s.fake.waitFor('chat.update', (c) => c.body.ts === msg.ts);
    expect(JSON.stringify(updated.body.blocks)).toContain(':white_check_mark:');
    expect(JSON.stringify(updated.body.blocks)).toContain('done by ivy');

    // A second case for the same person is not opened: the form says one is open.
    expect((await submit('U0HAL', { ...reason, [BLOCK.offboardEmail]: { type: 'email_text_input', value: 'ana@acme.test' } })).json()).toMatchObject({
      errors: { [BLOCK.offboardEmail]: expect.stringContaining('already open') },
    });
  });
});

describe('/attest onboard', () => {
  it('opens the modal for HR and starts the case; the manager gets the day-one summary', async () => {
    await attest('U0HAL', 'onboard');
    expect((await s.fake.waitFor('views.open')).body.view).toMatchObject({ callback_id: CALLBACK.onboard });
    const values = (v: Record<string, Record<string, unknown>>) => Object.fromEntries(Object.entries(v).map(([b, x]) => [b, { value: x }]));
    const form = {
      [BLOCK.onboardEmail]: { type: 'email_text_input', value: 'new@acme.test' },
      [BLOCK.onboardName]: { type: 'plain_text_input', value: 'Nia New' },
      [BLOCK.onboardManager]: { type: 'users_select', selected_user: 'U0EMMA' },
      [BLOCK.onboardStart]: { type: 'datepicker', selected_date: '2026-10-05' },
    };
    const refused = await s.slack.viewSubmission({ userId: 'U0EMMA', callbackId: CALLBACK.onboard, values: values(form) });
    expect(refused.json()).toMatchObject({ errors: { [BLOCK.onboardEmail]: 'Only HR can start onboarding.' } });
    const ok = await s.slack.viewSubmission({ userId: 'U0HAL', callbackId: CALLBACK.onboard, values: values(form) });
    expect(ok.text).toBe('');
    const [nia] = await t.db.select().from(person).where(eq(person.email, 'new@acme.test'));
    expect(nia).toMatchObject({ name: 'Nia New', managerId: ids.emma });
    const [kase] = await t.db.select().from(accessRequest).where(and(eq(accessRequest.kind, 'onboard'), eq(accessRequest.subjectPersonId, nia!.id)));
    // The start of 5 October in Paris, where the HR person is.
    expect(kase!.effectiveAt).toEqual(new Date('2026-10-04T22:00:00Z'));
    await s.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'U0EMMA' && JSON.stringify(c.body.blocks).includes('joins your team'));
  });
});
