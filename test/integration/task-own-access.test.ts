import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accessRequest, evidenceEvent, task } from '../../src/db/schema/index.js';
import { completeTask } from '../../src/domain/lifecycle/complete-task.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';
import { seedPerson } from '../helpers/slack-seed.js';

/**
 * `Mark done` through signed Slack requests. Nobody marks done a task about their own access,
 * its owner and admins included; an admin standing in for someone else's task says what was
 * done (a modal with one note, kept with the task.done event); the owner needs one click.
 */
let t: TestDatabase;
let s: TestServer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  s = await startTestServer(t);
  ids.ada = await seedPerson(t.db, { email: 'ada@acme.test', name: 'Ada', slackUserId: 'U0ADA', roles: ['admin'] });
  ids.omar = await seedPerson(t.db, { email: 'omar@acme.test', name: 'Omar', slackUserId: 'U0OMAR' });
  ids.leo = await seedPerson(t.db, { email: 'leo@acme.test', name: 'Leo', slackUserId: 'U0LEO' });
  ids.max = await seedPerson(t.db, { email: 'max@acme.test', name: 'Max', slackUserId: 'U0MAX', roles: ['admin', 'it'] });
});
afterAll(async () => {
  await s?.close();
  await t?.drop();
});
beforeEach(() => s.fake.reset());

/** A removal task within an offboarding case of `subject`, as the planner makes them. */
async function removalTask(subject: string, owner: { ownerId: string } | { ownerRole: 'it' }, description: string): Promise<string> {
  const now = s.deps.clock.now();
  const [kase] = await t.db.insert(accessRequest).values({ kind: 'offboard', status: 'in_progress', subjectPersonId: subject, requestedBy: 'test', createdAt: now }).returning();
  const [child] = await t.db
    .insert(accessRequest)
    .values({ kind: 'revoke', status: 'in_progress', parentId: kase!.id, subjectPersonId: subject, requestedBy: 'test', createdAt: now })
    .returning();
  const [row] = await t.db
    .insert(task)
    .values({ requestId: child!.id, action: 'remove_grant', description, ownerId: 'ownerId' in owner ? owner.ownerId : null, ownerRole: 'ownerRole' in owner ? owner.ownerRole : null, createdAt: now })
    .returning();
  return row!.id;
}

async function click(userId: string, taskId: string) {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const res = await s.slack.action({ userId, actionId: ACTION.taskDone, value: taskId, channelId: `D${userId.slice(1)}`, messageTs: '1700000000.000100', responseUrl: s.fake.responseUrl(key) });
  expect(res.status).toBe(200);
  return key;
}
const answer = async (key: string) => ((await s.fake.waitFor('response_url', (call) => call.key === key)).body as { text: string }).text;
const taskRow = async (id: string) => (await t.db.select().from(task).where(eq(task.id, id)))[0]!;
const eventsFor = async (action: string, taskId: string) => (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, action))).filter((e) => e.subject.task === taskId);

describe('Mark done on one’s own access', () => {
  it('is refused to the task’s owner when the access is theirs, clearly and on record', async () => {
    // Leo owns the app, and is the one leaving: the task to remove him is his to own, not to close.
    const id = await removalTask(ids.leo!, { ownerId: ids.leo! }, 'Remove leo@acme.test from Payroll in file');
    expect(await answer(await click('U0LEO', id))).toContain("You can't mark done a task about your own access");
    expect((await taskRow(id)).status).toBe('open');
    const [refused] = await eventsFor('security.refused', id);
    expect(refused).toMatchObject({ actor: `person:${ids.leo}`, payload: { attempted: 'task.complete', reason: 'task is about their own access' } });
    expect(await eventsFor('task.done', id)).toHaveLength(0);
  });

  it('is refused to an admin too, whether she owns the task or stands in for its owner', async () => {
    const owned = await removalTask(ids.ada!, { ownerId: ids.ada! }, 'Remove ada@acme.test from Finance Admins in okta');
    const itTask = await removalTask(ids.ada!, { ownerRole: 'it' }, "Deactivate ada@acme.test's aws account");
    expect(await answer(await click('U0ADA', owned))).toContain("You can't mark done a task about your own access");
    expect(await answer(await click('U0ADA', itTask))).toContain("You can't mark done a task about your own access");
    expect(s.fake.callsTo('views.open')).toHaveLength(0);
    await expect(completeTask(s.deps, { taskId: itTask, actorPersonId: ids.ada!, note: 'I did it myself' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await eventsFor('security.refused', owned)).length + (await eventsFor('security.refused', itTask)).length).toBe(3);
    expect([(await taskRow(owned)).status, (await taskRow(itTask)).status]).toEqual(['open', 'open']);
  });
});

describe('an admin marking someone else’s task done', () => {
  it('is asked for a note in a modal, and the note is kept with the task.done event', async () => {
    const id = await removalTask(ids.leo!, { ownerId: ids.omar! }, 'Remove leo@acme.test from AWS PowerUserAccess in aws');
    await click('U0ADA', id);
    const opened = await s.fake.waitFor('views.open');
    const view = opened.body.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe(CALLBACK.taskNote);
    expect(JSON.stringify(view.blocks)).toContain('plain_text_input');
    expect(JSON.stringify(view.blocks)).toContain('Remove leo@acme.test from AWS PowerUserAccess in aws');
    expect((await taskRow(id)).status).toBe('open'); // nothing recorded by the click itself

    const submit = (note: string) =>
      s.slack.viewSubmission({ userId: 'U0ADA', callbackId: CALLBACK.taskNote, privateMetadata: view.private_metadata, values: { [BLOCK.taskNote]: { value: { type: 'plain_text_input', value: note } } } });
    expect((await submit('   ')).json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.taskNote]: expect.any(String) } });
    expect((await taskRow(id)).status).toBe('open');

    const ok = await submit('Detached in the AWS console; Omar is on leave');
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    expect(await taskRow(id)).toMatchObject({ status: 'done', doneBy: `person:${ids.ada}`, note: 'Detached in the AWS console; Omar is on leave' });
    const [done, ...more] = await eventsFor('task.done', id);
    expect(more).toHaveLength(0);
    expect(done).toMatchObject({ actor: `person:${ids.ada}`, payload: { note: 'Detached in the AWS console; Omar is on leave', authority: 'admin' } });
    await s.fake.waitFor('chat.postEphemeral', (call) => String(call.body.text).startsWith('Marked done'));
    const updated = await s.fake.waitFor('chat.update', (call) => call.body.ts === '1700000000.000100');
    expect(updated.body.channel).toBe('D0ADA');
  });

  it('is not asked for a note when she holds the task’s owner role herself; the owner needs one click', async () => {
    const omars = await removalTask(ids.leo!, { ownerId: ids.omar! }, 'Remove leo@acme.test from Payments On-call in okta');
    expect(await answer(await click('U0OMAR', omars))).toMatch(/^Marked done/);
    expect(s.fake.callsTo('views.open')).toHaveLength(0);
    expect((await eventsFor('task.done', omars))[0]).toMatchObject({ payload: { note: null, authority: 'owner' } });

    const itTask = await removalTask(ids.leo!, { ownerRole: 'it' }, "Deactivate leo@acme.test's aws account");
    // Max is an admin, but IT too: the task is his as much as anyone's.
    expect(await answer(await click('U0MAX', itTask))).toMatch(/^Marked done/);
    expect(s.fake.callsTo('views.open')).toHaveLength(0);
    expect((await eventsFor('task.done', itTask))[0]).toMatchObject({ actor: `person:${ids.max}`, payload: { note: null, authority: 'owner' } });
  });

  it('is refused in the form when the task is about her own access', async () => {
    const id = await removalTask(ids.ada!, { ownerId: ids.omar! }, 'Remove ada@acme.test from GitHub in okta');
    const res = await s.slack.viewSubmission({
      userId: 'U0ADA',
      callbackId: CALLBACK.taskNote,
      privateMetadata: JSON.stringify({ taskId: id, channelId: 'D0ADA', messageTs: null }),
      values: { [BLOCK.taskNote]: { value: { type: 'plain_text_input', value: 'done' } } },
    });
    expect(res.json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.taskNote]: expect.stringContaining('your own access') } });
    expect((await taskRow(id)).status).toBe('open');
  });
});
