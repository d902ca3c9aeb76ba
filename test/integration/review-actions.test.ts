import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { evidenceEvent, reviewItem, slackMessage, task, type Campaign } from '../../src/db/schema/index.js';
import { enqueueMessage } from '../../src/domain/outbox/enqueue-message.js';
import { reviewRequest } from '../../src/domain/reviews/review-intents.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { parseReassignValue } from '../../src/slack/views/review-values.js';
import type { Seeded } from '../factories/review-directory.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TestServer } from '../helpers/serve.js';
import { reviewFixtureForFile, until, type ReviewFixture } from '../helpers/review-fixture.js';
import { seedPerson, seedReviewItems, seedTask } from '../helpers/slack-seed.js';
import { slowCommits } from '../helpers/slow-commits.js';

/** Reassigning, deciding as a delegate, Mark done, and a 300-item review delivered in pages. */
let t: TestDatabase;
let s: TestServer;
let org: Seeded;
let c: Campaign;
let fixture: ReviewFixture;
reviewFixtureForFile((started) => ({ t, s, org, c } = fixture = started));

const id = (name: string) => org.people[name]!.id;
const itemOf = (accountExt: string, resourceExt: string) => fixture.itemOf(accountExt, resourceExt);
const dm = (userId: string) => s.fake.state.messages.get(`D${userId.slice(1)}`) ?? [];
const values = (blocks: unknown, actionId: string) =>
  [...JSON.stringify(blocks).matchAll(new RegExp(`"action_id":"${actionId.replace('.', '\\.')}","value":"((?:[^"\\\\]|\\\\.)*)"`, 'g'))].map((m) => JSON.parse(`"${m[1]}"`) as string);

async function click(userId: string, actionId: string, value: string, messageTs?: string) {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const res = await s.slack.action({ userId, actionId, value, channelId: `D${userId.slice(1)}`, messageTs: messageTs ?? dm(userId)[0]?.ts, responseUrl: s.fake.responseUrl(key) });
  expect(res.status).toBe(200);
  return key;
}
const answer = async (key: string) => ((await s.fake.waitFor('response_url', (call) => call.key === key)).body as { text: string }).text;

describe('reassigning a person’s items', () => {
  it('hands them to the picked reviewer, who can decide them; the reviewer who handed over is told who decided', async () => {
    const reassign = values(dm('U1')[0]!.blocks, ACTION.reviewReassign).find((v) => parseReassignValue(v)?.whose === 'comp')!;
    expect(reassign).toBeDefined();
    await click('U1', ACTION.reviewReassign, reassign);
    const opened = await s.fake.waitFor('views.open');
    const meta = (opened.body.view as { private_metadata: string }).private_metadata;
    const submit = (user: string, reason = 'maria knows the compliance team') =>
      s.slack.viewSubmission({
        userId: 'U1',
        callbackId: CALLBACK.reassign,
        privateMetadata: meta,
        values: { [BLOCK.reassignTo]: { value: { type: 'users_select', selected_user: user } }, [BLOCK.reassignReason]: { value: { type: 'plain_text_input', value: reason } } },
      });
    expect((await submit('U0NOBODY')).json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.reassignTo]: expect.stringContaining('not in the directory') } });
    expect((await submit('U8')).json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.reassignTo]: expect.stringContaining('own access') } });
    expect((await submit('U2', '')).json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.reassignReason]: expect.any(String) } });

    const ok = await submit('U2');
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const moved = await until(async () => ((it) => (it.reviewerId === id('maria') ? it : undefined))(await itemOf('u8', 'g1')));
    expect(moved).toMatchObject({ delegatedFromId: id('ceo'), delegationReason: 'maria knows the compliance team' });
    expect((await s.fake.waitFor('chat.postEphemeral', (call) => String(call.body.text).startsWith('Handed 1 item to maria'))).body).toMatchObject({ channel: 'D1', user: 'U1' });
    await s.fake.waitFor('chat.update', (call) => call.body.channel === 'D2' && JSON.stringify(call.body.blocks).includes('Handed to you by ceo'));

    await click('U2', ACTION.reviewApprove, moved.id);
    await until(async () => (await itemOf('u8', 'g1')).decision === 'approved');
    const late = await click('U1', ACTION.reviewApprove, moved.id);
    expect(await answer(late)).toMatch(/^Already approved by maria on /);
  });

  it('refuses a decision on one’s own access', async () => {
    const item = await itemOf('u3', 'g1'); // li's own Engineering access
    expect(await answer(await click('U3', ACTION.reviewApprove, item.id))).toContain("You can't decide on your own access");
  });
});

describe('Mark done', () => {
  it('marks the task done once, updates the DM, and refuses anyone but the owner', async () => {
    await seedTask(t.db, { ownerId: id('maria'), description: 'Remove li from AWS Admins in okta' });
    const [row] = await t.db.select().from(task).where(eq(task.description, 'Remove li from AWS Admins in okta'));
    await enqueueMessage(t.db, s.deps.clock.now(), { kind: 'task.assigned', channel: 'U2', dedupeKey: `test:${row!.id}`, payload: { taskId: row!.id, personId: id('maria') } });
    const posted = await s.fake.waitFor('chat.postMessage', (call) => JSON.stringify(call.body.blocks).includes('Mark done'));
    const ts = (posted.response as { ts: string }).ts;

    expect(await answer(await click('U9', ACTION.taskDone, row!.id, ts))).toContain('Only the owner of this task');
    const restore = slowCommits(t.db, 400);
    const owner = await click('U2', ACTION.taskDone, row!.id, ts).finally(restore);
    // Slack had its 200 only once the completion was committed: a process dying after the ack loses nothing.
    expect((await t.db.select({ status: task.status }).from(task).where(eq(task.id, row!.id)))[0]!.status).toBe('done');
    expect(await answer(owner)).toBe('Marked done. That was the last task of this request: it is complete.');
    const updated = await s.fake.waitFor('chat.update', (call) => call.body.ts === ts);
    expect(JSON.stringify(updated.body.blocks)).toContain('*Done* by maria');
    expect(JSON.stringify(updated.body.blocks)).not.toContain('Mark done');
    expect(await answer(await click('U2', ACTION.taskDone, row!.id, ts))).toMatch(/^Already marked done by maria on /);
    const done = (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'task.done'))).filter((e) => e.subject.task === row!.id);
    expect(done).toHaveLength(1);
  });
});

describe('a long review', () => {
  it('delivers 300 items as pages of at most 50 blocks, every item exactly once', async () => {
    const big = await seedPerson(t.db, { email: 'big@acme.test', name: 'Bea Bigteam', slackUserId: 'U0BIG' });
    await seedReviewItems(t.db, c.id, big, 300);
    await enqueueMessage(t.db, s.deps.clock.now(), reviewRequest(c.id, big, 'U0BIG'));
    const pages = await until(async () => {
      const rows = await t.db.select().from(slackMessage).where(eq(slackMessage.threadKey, `review:${c.id}:${big}`));
      return rows.length > 1 && rows.length === dm('U0BIG').length ? dm('U0BIG') : undefined;
    });
    expect(pages.length).toBeGreaterThanOrEqual(7);
    for (const [i, p] of pages.entries()) {
      expect(p.blocks!.length).toBeLessThanOrEqual(50);
      expect(JSON.stringify(p.blocks)).toContain(`page ${i + 1} of ${pages.length}`);
    }
    const approves = pages.flatMap((p) => values(p.blocks, ACTION.reviewApprove));
    expect(approves).toHaveLength(300);
    expect(new Set(approves).size).toBe(300);
    const mine = await t.db.select({ id: reviewItem.id }).from(reviewItem).where(eq(reviewItem.reviewerId, big));
    expect(new Set(approves)).toEqual(new Set(mine.map((r) => r.id)));
  });
});
