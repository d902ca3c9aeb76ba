import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { accessRequest, evidenceEvent, outbox, person, resource } from '../../src/db/schema/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import type { OutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { group, memoryConnector, user } from '../fakes/memory-connector.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';
import { startTestOutboxWorker } from '../helpers/test-outbox-worker.js';
import { APP_ID, TEAM_ID, interactionBody } from '../helpers/slack-request.js';
import { slowCommits } from '../helpers/slow-commits.js';

/** Self-service access from Slack: the modal, its searchable picker, and the approver's buttons. */
let t: TestDatabase;
let s: TestServer;
let worker: OutboxWorker;
const ids: Record<string, string> = {};
const res: Record<string, string> = {};

const okta = memoryConnector({
  accounts: [user('u-boss', 'boss@acme.test'), user('u-ana', 'ana@acme.test', { manager: 'u-boss' }), user('u-olga', 'olga@acme.test')],
  resources: [group('g-eng', 'Engineering'), group('g-adm', 'AWS Admins', true), group('g-sales', 'Sales')],
  grants: [],
});

beforeAll(async () => {
  t = await createTestDatabase();
  s = await startTestServer(t);
  await runSync(testDeps(t.db), okta);
  for (const name of ['boss', 'ana', 'olga']) {
    const [p] = await t.db.update(person).set({ slackUserId: `U0${name.toUpperCase()}` }).where(eq(person.email, `${name}@acme.test`)).returning();
    ids[name] = p!.id;
  }
  for (const r of await t.db.select().from(resource)) res[r.externalId] = r.id;
  await t.db.update(resource).set({ ownerId: ids.olga! }).where(sql`${resource.privileged}`);
  worker = startTestOutboxWorker(s);
});
afterAll(async () => {
  await worker?.stop();
  await s?.close();
  await t?.drop();
});
beforeEach(() => s.fake.reset());

const dmPost = (channel: string, text: string) =>
  s.fake.waitFor('chat.postMessage', (c) => c.body.channel === channel && JSON.stringify(c.body.blocks).includes(text));
const submit = (userId: string, resourceId: string, reason: string, duration = 'permanent') =>
  s.slack.viewSubmission({
    userId,
    callbackId: CALLBACK.request,
    values: {
      [BLOCK.requestResource]: { [ACTION.requestResource]: { type: 'external_select', selected_option: { value: resourceId, text: { type: 'plain_text', text: 'x' } } } },
      [BLOCK.requestReason]: { value: { type: 'plain_text_input', value: reason } },
      [BLOCK.requestDuration]: { value: { type: 'static_select', selected_option: { value: duration } } },
    },
  });
async function click(userId: string, actionId: string, requestId: string, ts: string, onAck?: () => Promise<void>) {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const r = await s.slack.action({ userId, actionId, value: requestId, channelId: `D${userId.slice(1)}`, messageTs: ts, responseUrl: s.fake.responseUrl(key) });
  expect(r.status).toBe(200);
  await onAck?.();
  return ((await s.fake.waitFor('response_url', (c) => c.key === key)).body as { text: string }).text;
}
const requestOf = async (resourceId: string) =>
  (await t.db.select().from(accessRequest).where(and(eq(accessRequest.subjectPersonId, ids.ana!), eq(accessRequest.resourceId, resourceId))))[0]!;

describe('/attest request', () => {
  it('opens the modal, and the picker lists matching resources by name', async () => {
    const key = 'req-cmd';
    await s.slack.command({ user_id: 'U0ANA', text: 'request', response_url: s.fake.responseUrl(key) });
    expect((await s.fake.waitFor('views.open')).body.view).toMatchObject({ callback_id: CALLBACK.request });
    const suggest = (value: string) =>
      s.slack.send(
        interactionBody({
          type: 'block_suggestion',
          user: { id: 'U0ANA', team_id: TEAM_ID },
          team: { id: TEAM_ID, domain: 'fake' },
          api_app_id: APP_ID,
          token: 'legacy-verification-token',
          action_id: ACTION.requestResource,
          block_id: BLOCK.requestResource,
          value,
          container: { type: 'view', view_id: 'V0MODAL' },
          view: { id: 'V0MODAL', type: 'modal', callback_id: CALLBACK.request, state: { values: {} } },
        }),
      );
    const found = (await suggest('adm')).json<{ options: { text: { text: string }; value: string }[] }>()!;
    expect(found.options).toEqual([{ text: { type: 'plain_text', text: 'AWS Admins · okta · privileged' }, value: res['g-adm'] }]);
    expect((await suggest('')).json<{ options: unknown[] }>()!.options).toHaveLength(3);
  });

  it('creates a pending request, asks the manager, who approves once; anyone else is refused', async () => {
    const ok = await submit('U0ANA', res['g-eng']!, 'joining the platform team', '7');
    expect(ok.text).toBe('');
    const req = await requestOf(res['g-eng']!);
    expect(req).toMatchObject({ status: 'pending_approval', reason: 'joining the platform team' });
    const [ask] = await t.db.select().from(outbox).where(and(eq(outbox.kind, 'request.approval'), sql`${outbox.payload}->>'requestId' = ${req.id}`));
    expect(ask).toMatchObject({ channel: 'U0BOSS' });
    const dm = await dmPost('U0BOSS', 'asks for access');
    const text = JSON.stringify(dm.body.blocks);
    expect(text).toContain('"text":"Approve"');
    expect(text).toContain('"text":"Deny"');
    expect(text).toContain('7 days');
    const ts = (dm.response as { ts: string }).ts;

    const before = (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'security.refused'))).length;
    expect(await click('U0OLGA', ACTION.requestApprove, req.id, ts)).toContain('Only the approvers named on this request');
    expect((await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'security.refused'))).length).toBe(before + 1);

    expect(await click('U0BOSS', ACTION.requestApprove, req.id, ts)).toMatch(/^Approved\./);
    // Approval plans the provisioning task at once, so the request may already be in progress.
    expect(['approved', 'in_progress']).toContain((await requestOf(res['g-eng']!)).status);
    const redrawn = await s.fake.waitFor('chat.update', (c) => c.body.ts === ts);
    expect(JSON.stringify(redrawn.body.blocks)).not.toContain('"text":"Approve"');
    await dmPost('U0ANA', 'was approved');
    expect(await click('U0BOSS', ACTION.requestApprove, req.id, ts)).toMatch(/^Already approved by boss on /);
  });

  it('Deny ends the request and tells the requester', async () => {
    expect((await submit('U0ANA', res['g-sales']!, 'curious')).text).toBe('');
    const req = await requestOf(res['g-sales']!);
    const dm = await dmPost('U0BOSS', 'Sales');
    // Slack has its 200 only once the decision is committed (commits are slowed to show it on Postgres).
    const restore = slowCommits(t.db, 400);
    let atAck = '';
    const denied = click('U0BOSS', ACTION.requestDeny, req.id, (dm.response as { ts: string }).ts, async () => {
      atAck = (await requestOf(res['g-sales']!)).status;
      restore();
    });
    expect(await denied.finally(restore)).toMatch(/^Denied\./);
    expect(atAck).toBe('denied');
    await dmPost('U0ANA', 'was denied');
  });

  it('refuses an empty reason in the form', async () => {
    expect((await submit('U0ANA', res['g-adm']!, '')).json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.requestReason]: expect.any(String) } });
  });
});
