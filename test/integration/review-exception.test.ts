import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { evidenceEvent, outbox } from '../../src/db/schema/index.js';
import type { fixedClock } from '../../src/clock.js';
import { sendExceptionReminders } from '../../src/domain/reviews/send-exception-reminders.js';
import { reviewJobs } from '../../src/jobs/review-jobs.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import type { Seeded } from '../factories/review-directory.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TestServer } from '../helpers/serve.js';
import { reviewFixtureForFile, until, type ReviewFixture } from '../helpers/review-fixture.js';
import { messageBlockErrors, modalViewErrors } from '../helpers/slack-blocks.js';
import { blockActionsPayload, interactionBody } from '../helpers/slack-request.js';

/**
 * `Keep as exception` through signed Slack requests: the overflow menu on each pending item,
 * the modal's validation, the `kept` decision with its control and end date recorded once,
 * and the reminder a week before the end date. The test clock starts at 2026-10-01 09:00 UTC.
 */
let t: TestDatabase;
let s: TestServer;
let org: Seeded;
let fixture: ReviewFixture;
reviewFixtureForFile((started) => ({ t, s, org } = fixture = started));

const id = (name: string) => org.people[name]!.id;
const itemOf = (accountExt: string, resourceExt: string) => fixture.itemOf(accountExt, resourceExt);
const dm = (userId: string) => s.fake.state.messages.get(`D${userId.slice(1)}`) ?? [];
const dmText = (userId: string) => JSON.stringify(dm(userId).map((m) => m.blocks));
const eventsOf = async (action: string, itemId: string) => (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, action))).filter((e) => e.subject.item === itemId);
const CONTROL = 'Every sign-in is reviewed weekly by the security team';

/** Chooses `Keep as exception` in an item's overflow menu, as Slack sends it. */
async function chooseKeep(userId: string, itemId: string) {
  const payload = blockActionsPayload({ userId, actionId: ACTION.reviewKeep, channelId: `D${userId.slice(1)}`, messageTs: dm(userId)[0]?.ts, responseUrl: s.fake.responseUrl() });
  payload.actions = [{ type: 'overflow', action_id: ACTION.reviewKeep, block_id: 'b', selected_option: { text: { type: 'plain_text', text: 'Keep as exception' }, value: itemId }, action_ts: String(Date.now() / 1000) }];
  const res = await s.slack.send(interactionBody(payload));
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  const opened = await s.fake.waitFor('views.open');
  expect(opened.response).toMatchObject({ ok: true });
  return opened.body.view as { callback_id: string; private_metadata: string; title: { text: string } };
}
const submit = (userId: string, meta: string, control: string, date: string | null) =>
  s.slack.viewSubmission({
    userId,
    callbackId: CALLBACK.keepException,
    privateMetadata: meta,
    values: {
      [BLOCK.keepControl]: { value: { type: 'plain_text_input', value: control } },
      [BLOCK.keepEndsAt]: { value: { type: 'datepicker', selected_date: date } },
    },
  });

describe('Keep as exception', () => {
  it('is offered in an overflow menu next to Approve and Revoke on every pending item', async () => {
    const page = dm('U2')[0]!;
    expect(messageBlockErrors(page.blocks)).toEqual([]);
    const rows = (page.blocks as { type: string; elements?: { type: string; action_id: string; options?: { text: { text: string }; value: string }[] }[] }[]).filter((b) => b.type === 'actions' && b.elements?.some((e) => e.action_id === ACTION.reviewApprove));
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      const approve = row.elements!.find((e) => e.action_id === ACTION.reviewApprove) as unknown as { value: string };
      const menu = row.elements!.find((e) => e.type === 'overflow')!;
      expect(menu.action_id).toBe(ACTION.reviewKeep);
      expect(menu.options).toEqual([{ text: { type: 'plain_text', text: 'Keep as exception', emoji: true }, value: approve.value }]);
    }
  });

  it('asks for the control and an end date; a missing control or a bad date shows in the form and changes nothing', async () => {
    const item = await itemOf('u3', 'g2'); // li's AWS Admins, reviewed by maria
    const view = await chooseKeep('U2', item.id);
    expect(view.callback_id).toBe(CALLBACK.keepException);
    expect(view.title.text).toBe('Keep as exception');
    expect(modalViewErrors(view)).toEqual([]);
    const described = await s.fake.waitFor('views.update');
    expect(JSON.stringify(described.body.view)).toContain('Keeping *AWS Admins* (okta) for *li*');
    expect(modalViewErrors(described.body.view)).toEqual([]);

    const errorsOf = async (control: string, date: string | null) => (await submit('U2', view.private_metadata, control, date)).json<{ response_action: string; errors: Record<string, string> }>();
    expect(await errorsOf('   ', '2026-11-15')).toEqual({ response_action: 'errors', errors: { [BLOCK.keepControl]: expect.stringContaining('compensating control') } });
    expect(await errorsOf(CONTROL, null)).toEqual({ response_action: 'errors', errors: { [BLOCK.keepEndsAt]: 'Pick the date the exception ends.' } });
    expect(await errorsOf(CONTROL, '2026-09-30')).toEqual({ response_action: 'errors', errors: { [BLOCK.keepEndsAt]: 'The end date must be in the future: pick tomorrow or later.' } });
    expect(await errorsOf(CONTROL, '2026-10-01')).toEqual({ response_action: 'errors', errors: { [BLOCK.keepEndsAt]: 'The end date must be in the future: pick tomorrow or later.' } });
    expect(await errorsOf(CONTROL, '2027-10-15')).toEqual({ response_action: 'errors', errors: { [BLOCK.keepEndsAt]: expect.stringContaining('at most a year') } });
    expect(await itemOf('u3', 'g2')).toMatchObject({ decision: 'pending', exceptionControl: null, exceptionEndsAt: null });
    expect(await eventsOf('review.decided', item.id)).toEqual([]);
  });

  it('refuses someone who is not the reviewer, and the reviewer on their own access, in the form and on record', async () => {
    const item = await itemOf('u3', 'g2');
    const view = await chooseKeep('U9', item.id); // ann
    expect((await submit('U9', view.private_metadata, CONTROL, '2026-11-15')).json()).toMatchObject({ errors: { [BLOCK.keepControl]: expect.stringContaining('Only the reviewer this item is assigned to') } });
    const own = await itemOf('u3', 'g1'); // li's own Engineering access
    expect((await submit('U3', JSON.stringify({ itemId: own.id, channelId: 'D3' }), CONTROL, '2026-11-15')).json()).toMatchObject({ errors: { [BLOCK.keepControl]: expect.stringContaining("can't decide on your own access") } });
    const refused = [...(await eventsOf('security.refused', item.id)), ...(await eventsOf('security.refused', own.id))];
    expect(refused.map((e) => (e.payload as { attempted: string }).attempted)).toEqual(['review.keep', 'review.keep']);
    expect((await itemOf('u3', 'g2')).decision).toBe('pending');
  });

  it('records the kept decision once, with its control and end date, and the DM says so', async () => {
    const item = await itemOf('u3', 'g2');
    const view = await chooseKeep('U2', item.id);
    const [first, again] = [await submit('U2', view.private_metadata, CONTROL, '2026-11-15'), await submit('U2', view.private_metadata, CONTROL, '2026-11-15')];
    expect(first.text).toBe('');
    expect(again.text).toBe('');
    // Committed before the ack: the decision is there as soon as Slack has its answer.
    expect(await itemOf('u3', 'g2')).toMatchObject({ decision: 'kept', decidedBy: id('maria'), exceptionControl: CONTROL, exceptionEndsAt: new Date('2026-11-15T23:59:59.999Z') });
    const decided = await eventsOf('review.decided', item.id);
    expect(decided).toHaveLength(1);
    expect(decided[0]!.payload).toMatchObject({ decision: 'kept', exception: { control: CONTROL, endsAt: '2026-11-15T23:59:59.999Z' }, reviewer: { email: 'maria@acme.test' } });
    const told = await s.fake.waitFor('chat.postEphemeral', (call) => String(call.body.text).startsWith('Kept as an exception until 15 Nov 2026'));
    expect(told.body).toMatchObject({ user: 'U2', channel: 'D2' });
    await until(() => dmText('U2').includes('Kept as exception by maria'));
    expect(dmText('U2')).toMatch(/Kept as exception by maria · until <!date\^\d+\^\{date_short\}\|15 Nov 2026> — “Every sign-in is reviewed weekly by the security team”/);
    for (const page of dm('U2')) expect(messageBlockErrors(page.blocks)).toEqual([]);
  });

  it('reminds the reviewer once, a week before the exception ends', async () => {
    const item = await itemOf('u3', 'g2');
    const at = (iso: string) => {
      (s.deps.clock as ReturnType<typeof fixedClock>).set(iso);
      return new Date(iso);
    };
    expect(await sendExceptionReminders(s.deps, at('2026-11-08T10:00:00Z'))).toEqual({ queued: 0, deferred: 0 });
    // A week before, but at night for the reviewer (UTC): it waits for working hours.
    expect(await sendExceptionReminders(s.deps, at('2026-11-09T03:00:00Z'))).toEqual({ queued: 0, deferred: 1 });
    expect(await sendExceptionReminders(s.deps, at('2026-11-09T10:00:00Z'))).toEqual({ queued: 1, deferred: 0 });
    const job = reviewJobs(s.deps).find((j) => j.name === 'review-exception-reminders')!;
    expect(job.schedule).toBe('*/15 * * * *');
    expect(await job.run()).toBe('queued 0, deferred 0');
    expect(await t.db.select().from(outbox).where(eq(outbox.kind, 'review.exception_reminder'))).toHaveLength(1);
    expect(await eventsOf('review.exception_reminded', item.id)).toHaveLength(1);
    const sent = await s.fake.waitFor('chat.postMessage', (call) => String(call.body.text).startsWith('An exception you kept ends on 15 Nov 2026'));
    expect(sent.body.channel).toBe('U2');
    expect(JSON.stringify(sent.body.blocks)).toContain('Compensating control: “Every sign-in is reviewed weekly by the security team”');
    expect(messageBlockErrors(sent.body.blocks)).toEqual([]);
  });
});
