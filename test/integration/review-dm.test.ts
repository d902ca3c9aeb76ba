import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accessRequest, evidenceEvent, task, type Campaign } from '../../src/db/schema/index.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import type { Seeded } from '../factories/review-directory.js';
import type { RecordedCall } from '../fakes/slack-server.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TestServer } from '../helpers/serve.js';
import { reviewFixtureForFile, until, type ReviewFixture } from '../helpers/review-fixture.js';
import { blockActionsPayload, interactionBody } from '../helpers/slack-request.js';
import { slowCommits } from '../helpers/slow-commits.js';

/**
 * The reviewer's experience end to end: a launched campaign, its DMs delivered by the outbox
 * worker through the real renderers to the fake Slack, and signed clicks against the server.
 */
let t: TestDatabase;
let s: TestServer;
let org: Seeded;
let c: Campaign;
let fixture: ReviewFixture;
reviewFixtureForFile((started) => ({ t, s, org, c } = fixture = started));

const id = (name: string) => org.people[name]!.id;
const itemOf = (accountExt: string, resourceExt: string) => fixture.itemOf(accountExt, resourceExt);
const eventsFor = async (action: string, itemId?: string) =>
  (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, action))).filter((e) => !itemId || e.subject.item === itemId);
/** The DM as the fake workspace holds it now (posted, then updated in place). */
const dm = (userId: string) => s.fake.state.messages.get(`D${userId.slice(1)}`) ?? [];
const buttonsIn = (blocks: unknown) =>
  [...JSON.stringify(blocks).matchAll(/"type":"button","text":\{"type":"plain_text","text":"([^"]*)"[^}]*\},"action_id":"([^"]+)"(?:,"value":"((?:[^"\\]|\\.)*)")?/g)].map((m) => ({
    text: m[1]!,
    actionId: m[2]!,
    value: m[3] ? (JSON.parse(`"${m[3]}"`) as string) : undefined,
  }));

/** Clicks a button in a DM as `userId`; returns the HTTP answer and the click's response_url key. */
async function click(userId: string, actionId: string, value: string, opts: { retryOf?: Record<string, unknown> } = {}) {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const ts = dm('U2')[0]?.ts;
  const payload = opts.retryOf ?? blockActionsPayload({ userId, actionId, value, channelId: `D${userId.slice(1)}`, messageTs: ts, responseUrl: s.fake.responseUrl(key) });
  const res = await s.slack.send(interactionBody(payload), opts.retryOf ? { retryNum: 1, retryReason: 'http_timeout' } : {});
  // Acked at once with an empty body; whatever the click leads to comes after.
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  return { key, payload };
}
const answered = (key: string) => s.fake.waitFor('response_url', (call: RecordedCall) => call.key === key).then((call) => call.body as { text: string; response_type: string });

describe("the reviewer's DM", () => {
  it('is posted once per reviewer with the exact button texts', async () => {
    const [page] = dm('U2');
    expect(page).toBeDefined();
    const texts = buttonsIn(page!.blocks).map((b) => b.text);
    expect(texts.filter((x) => x === 'Approve').length).toBeGreaterThanOrEqual(3);
    expect(texts.filter((x) => x === 'Revoke').length).toBe(texts.filter((x) => x === 'Approve').length);
    expect(texts).toContain('Approve all remaining');
    expect(texts).toContain('Approve all for li');
    expect(texts).toContain('Reassign…');
    expect(page!.text).toContain(`Access review “${c.name}”`);
    expect(JSON.stringify(page!.blocks)).toContain('*AWS Admins* · okta · direct · :rotating_light: *privileged*');
    expect(dm('U2')).toHaveLength(1);
  });

  it('records one decision for Approve, even when Slack retries the click, and the DM shows who approved', async () => {
    const item = await itemOf('u3', 'g1'); // li's Engineering, reviewed by maria
    const first = await click('U2', ACTION.reviewApprove, item.id);
    await click('U2', ACTION.reviewApprove, item.id, { retryOf: first.payload });
    await until(async () => (await eventsFor('review.decided', item.id)).length === 1);
    const updated = await s.fake.waitFor('chat.update', (call) => JSON.stringify(call.body.blocks).includes('*Approved* by maria'));
    expect(updated.response).toMatchObject({ ok: true });
    expect(JSON.stringify(dm('U2')[0]!.blocks)).toMatch(/\*Approved\* by maria · <!date\^\d+\^/);
    // A retry is the same click: it is not answered as "already decided".
    await new Promise((r) => setTimeout(r, 100));
    expect(s.fake.callsTo('response_url')).toEqual([]);
    expect(await eventsFor('review.decided', item.id)).toHaveLength(1);
  });

  it('tells a second click who decided first, and records nothing more', async () => {
    const item = await itemOf('u3', 'g1');
    const again = await click('U2', ACTION.reviewApprove, item.id);
    expect((await answered(again.key)).text).toMatch(/^You already approved this item on /);
    expect(await eventsFor('review.decided', item.id)).toHaveLength(1);
  });

  it('refuses a click by someone who is not the reviewer, ephemerally and on record', async () => {
    const item = await itemOf('u4', 'g1'); // sam's Engineering, reviewed by maria
    const res = await click('U9', ACTION.reviewApprove, item.id); // ann
    const answer = await answered(res.key);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Only the reviewer this item is assigned to');
    const refused = await until(async () => (await eventsFor('security.refused', item.id))[0]);
    expect(refused).toMatchObject({ actor: `person:${id('ann')}`, payload: { attempted: 'review.approve' } });
    expect((await itemOf('u4', 'g1')).decision).toBe('pending');
  });

  it('opens the revoke modal, refuses an empty reason, and records the revocation and its removal', async () => {
    const item = await itemOf('u3', 'g2'); // li's AWS Admins, privileged
    await click('U2', ACTION.reviewRevoke, item.id);
    const opened = await s.fake.waitFor('views.open');
    expect(opened.response).toMatchObject({ ok: true });
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(CALLBACK.revokeReason);
    expect(JSON.stringify(view)).toContain('Why should this access be removed?');

    const submit = (reason: string) =>
      s.slack.viewSubmission({
        userId: 'U2',
        callbackId: CALLBACK.revokeReason,
        privateMetadata: view.private_metadata,
        values: { [BLOCK.revokeReason]: { value: { type: 'plain_text_input', value: reason } }, [BLOCK.revokeTiming]: { value: { type: 'radio_buttons', selected_option: { value: 'now' } } } },
      });
    const empty = await submit('   ');
    expect(empty.status).toBe(200);
    expect(empty.json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.revokeReason]: expect.stringContaining('Say why') } });
    expect((await itemOf('u3', 'g2')).decision).toBe('pending');

    const ok = await submit('moved to sales, no longer needs admin');
    expect(ok.status).toBe(200);
    const decided = await until(async () => ((r) => (r.requestId ? r : undefined))(await itemOf('u3', 'g2')));
    expect(decided).toMatchObject({ decision: 'revoked', decidedBy: id('maria'), reason: 'moved to sales, no longer needs admin', removalTiming: 'now' });
    const [request] = await t.db.select().from(accessRequest).where(eq(accessRequest.id, decided.requestId!));
    expect(request).toMatchObject({ kind: 'revoke', origin: `review_item:${item.id}` });
    const planned = await until(async () => (await t.db.select().from(task).where(eq(task.requestId, request!.id)))[0]);
    expect(planned).toMatchObject({ action: 'remove_grant', status: 'open' });
    const told = await s.fake.waitFor('chat.postEphemeral', (call) => String(call.body.text).startsWith('Revoked'));
    expect(told.body).toMatchObject({ user: 'U2', channel: 'D2' });
    expect(await eventsFor('removal.requested', item.id)).toHaveLength(1);
  });

  it('approves everything for one person with Approve all for <name>, then the rest with Approve all remaining', async () => {
    const forSam = await click('U2', ACTION.reviewApprovePerson, `${c.id}:${id('sam')}`);
    expect((await answered(forSam.key)).text).toBe('Approved 1 item. 1 item still to decide.');
    expect((await itemOf('u4', 'g1')).decision).toBe('approved');
    expect((await itemOf('u9', 'a1')).decision).toBe('pending');

    const restore = slowCommits(t.db, 400);
    const rest = await click('U2', ACTION.reviewApproveAll, c.id).finally(restore);
    // Slack had its 200 only once the approvals were committed: a process dying after the ack loses nothing.
    expect((await itemOf('u9', 'a1')).decision).toBe('approved');
    expect((await answered(rest.key)).text).toBe('Approved 1 item.');
    const bulk = (await eventsFor('review.decided')).filter((e) => (e.payload as { bulk?: boolean }).bulk);
    expect(bulk).toHaveLength(2);
    await s.fake.waitFor('chat.update', (call) => JSON.stringify(call.body.blocks).includes('All 4 items are decided'));

    const nothing = await click('U2', ACTION.reviewApproveAll, c.id);
    expect((await answered(nothing.key)).text).toBe('Nothing left to approve.');
  });
});
