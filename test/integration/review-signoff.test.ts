import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import type { fixedClock } from '../../src/clock.js';
import { campaign, evidenceEvent, outbox, reviewItem, reviewSignoff, type Campaign, type OutboxRow } from '../../src/db/schema/index.js';
import { approveAllRemaining } from '../../src/domain/reviews/approve-all-remaining.js';
import { closeCampaign } from '../../src/domain/reviews/close-campaign.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import { sendReminders } from '../../src/domain/reviews/send-reminders.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import type { Seeded } from '../factories/review-directory.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TestServer } from '../helpers/serve.js';
import { reviewFixtureForFile, until } from '../helpers/review-fixture.js';
import { messageBlockErrors, modalViewErrors } from '../helpers/slack-blocks.js';

/**
 * Reviewer sign-off through signed Slack requests: the `Sign off` button appears once every
 * item is decided, its modal shows the statement (default or the campaign's own), and the
 * submission records one sign-off with one evidence event carrying a digest of the decisions.
 */
let t: TestDatabase;
let s: TestServer;
let org: Seeded;
let c: Campaign;
reviewFixtureForFile((started) => ({ t, s, org, c } = started));

const id = (name: string) => org.people[name]!.id;
const dm = (userId: string) => s.fake.state.messages.get(`D${userId.slice(1)}`) ?? [];
const dmText = (userId: string) => JSON.stringify(dm(userId).map((m) => m.blocks));
const hasSignOff = (userId: string) => dmText(userId).includes(`"text":"Sign off"`);
const eventsOf = async (action: string) => t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, action)).orderBy(asc(evidenceEvent.seq));
const refusals = async (actorName: string) =>
  (await eventsOf('security.refused')).filter((e) => e.actor === `person:${id(actorName)}` && (e.payload as { attempted: string }).attempted === 'review.sign_off');
const itemsOf = (reviewer: string) =>
  t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.reviewerId, id(reviewer))));

async function clickSignOff(userId: string, value: string) {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const res = await s.slack.action({ userId, actionId: ACTION.reviewSignOff, value, channelId: `D${userId.slice(1)}`, messageTs: dm(userId)[0]?.ts, responseUrl: s.fake.responseUrl(key) });
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  return key;
}
/** The statement block of the sign-off modal, as the reviewer reads it. */
const statementOf = (view: unknown) => (view as { blocks: { block_id?: string; text?: { type: string; text: string } }[] }).blocks.find((b) => b.block_id === BLOCK.signOffStatement)?.text;
const answer = async (key: string) => ((await s.fake.waitFor('response_url', (call) => call.key === key)).body as { text: string }).text;
const submit = (userId: string, meta: string, confirmed = true) =>
  s.slack.viewSubmission({
    userId,
    callbackId: CALLBACK.signOff,
    privateMetadata: meta,
    values: { [BLOCK.signOffConfirm]: { value: { type: 'checkboxes', selected_options: confirmed ? [{ value: 'yes' }] : [] } } },
  });
/** Recomputes the digest as an auditor would from decisions.csv: `<id>,<decision>,<decided at>\n` in id order. */
const digestOf = (items: { id: string; decision: string; decidedAt: Date | null }[]) =>
  createHash('sha256')
    .update([...items].sort((a, b) => (a.id < b.id ? -1 : 1)).map((i) => `${i.id},${i.decision},${i.decidedAt?.toISOString() ?? ''}\n`).join(''))
    .digest('hex');

describe('Sign off', () => {
  it('is offered only once every item of the reviewer is decided', async () => {
    const mine = await itemsOf('maria');
    expect(mine.length).toBeGreaterThan(1);
    expect(hasSignOff('U2')).toBe(false);
    await decideItem(s.deps, { itemId: mine[0]!.id, decision: 'approved', actorPersonId: id('maria') });
    await s.fake.waitFor('chat.update', (call) => call.body.channel === 'D2');
    expect(hasSignOff('U2')).toBe(false);

    // A click on a forged button before everything is decided is refused, on record.
    const early = await clickSignOff('U2', `${c.id}:${id('maria')}`);
    expect(await answer(early)).toMatch(/^You still have \d+ items? to decide: sign off once every item is decided\.$/);
    expect((await refusals('maria')).map((e) => (e.payload as { reason: string }).reason)).toEqual(['items still pending']);

    await approveAllRemaining(s.deps, { campaignId: c.id, actorPersonId: id('maria') });
    await until(() => hasSignOff('U2'));
    for (const page of dm('U2')) expect(messageBlockErrors(page.blocks)).toEqual([]);
    expect(dmText('U2')).toContain(`All ${mine.length} items are decided.`);
    // Others still deciding see no button.
    expect((await itemsOf('li')).some((i) => i.decision === 'pending')).toBe(true);
    expect(hasSignOff('U3')).toBe(false);
  });

  it('opens a modal with the default statement, and records the sign-off once with its digest', async () => {
    const mine = await itemsOf('maria');
    await clickSignOff('U2', `${c.id}:${id('maria')}`);
    const opened = await s.fake.waitFor('views.open');
    expect(opened.response).toMatchObject({ ok: true });
    const view = opened.body.view as { callback_id: string; private_metadata: string; submit: { text: string } };
    expect(modalViewErrors(view)).toEqual([]);
    expect(view.callback_id).toBe(CALLBACK.signOff);
    expect(view.submit.text).toBe('Sign off');
    const statement = `I reviewed each of these ${mine.length} items, and the decisions reflect current business need.`;
    expect(statementOf(view)).toEqual({ type: 'plain_text', text: statement, emoji: false });

    const unticked = await submit('U2', view.private_metadata, false);
    expect(unticked.json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.signOffConfirm]: 'Tick the box to confirm the statement.' } });
    expect(await t.db.select().from(reviewSignoff)).toHaveLength(0);

    // Someone else submitting maria's sign-off is refused in the form and on record.
    const forged = await submit('U9', view.private_metadata);
    expect(forged.json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.signOffConfirm]: 'Only the reviewer whose items these are can sign off their review.' } });
    expect((await refusals('ann')).map((e) => (e.payload as { reason: string }).reason)).toEqual(['not the reviewer']);

    const [first, second] = await Promise.all([submit('U2', view.private_metadata), submit('U2', view.private_metadata)]);
    for (const res of [first, second]) {
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    }
    const rows = await t.db.select().from(reviewSignoff);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ campaignId: c.id, reviewerId: id('maria'), statement, itemCount: mine.length, itemsDigest: digestOf(mine) });
    const signed = await eventsOf('review.signed_off');
    expect(signed).toHaveLength(1);
    expect(signed[0]).toMatchObject({
      actor: `person:${id('maria')}`,
      subject: { campaign: c.id, reviewer: id('maria') },
      payload: { statement, itemCount: mine.length, itemsDigest: digestOf(mine), reviewer: { email: 'maria@acme.test' } },
    });

    // A later submit of the same modal records nothing more.
    expect((await submit('U2', view.private_metadata)).text).toBe('');
    expect(await eventsOf('review.signed_off')).toHaveLength(1);

    // The DM now says who signed and when, instead of the button.
    await until(() => dmText('U2').includes('*Signed off* by maria'));
    expect(hasSignOff('U2')).toBe(false);
    expect(dmText('U2')).toMatch(/\*Signed off\* by maria · <!date\^\d+\^/);

    // The button of an older copy of the DM answers that it is done.
    expect(await answer(await clickSignOff('U2', `${c.id}:${id('maria')}`))).toMatch(/^You already signed off your review of “Q4 2026 access review” on /);
  });

  it('shows the campaign’s own statement when it has one', async () => {
    const wording = 'I confirm each access below is still needed & approved by the data owner.';
    await t.db.update(campaign).set({ attestation: wording }).where(eq(campaign.id, c.id));
    await approveAllRemaining(s.deps, { campaignId: c.id, actorPersonId: id('li') });
    await until(() => hasSignOff('U3'));
    await clickSignOff('U3', `${c.id}:${id('li')}`);
    const opened = await s.fake.waitFor('views.open');
    const view = opened.body.view as { private_metadata: string };
    expect(modalViewErrors(view)).toEqual([]);
    expect(statementOf(view)).toEqual({ type: 'plain_text', text: wording, emoji: false });
    expect(JSON.stringify(view)).not.toContain('I reviewed each of these');
    expect((await submit('U3', view.private_metadata)).text).toBe('');
    const [row] = await t.db.select().from(reviewSignoff).where(eq(reviewSignoff.reviewerId, id('li')));
    expect(row!.statement).toBe(wording);
  });

  it('reminds a reviewer who decided everything but has not signed, and nobody who signed', async () => {
    await approveAllRemaining(s.deps, { campaignId: c.id, actorPersonId: id('ceo') });
    await until(() => hasSignOff('U1'));
    (s.deps.clock as ReturnType<typeof fixedClock>).set('2026-12-25T10:00:00Z'); // past the 7-day reminder, 10:00 in the reviewers' zone (UTC)
    await sendReminders(s.deps, s.deps.clock.now());
    const reminded = await t.db.select().from(outbox).where(eq(outbox.kind, 'review.reminder'));
    const to = reminded.map((r) => r.recipientPersonId);
    expect(to).toContain(id('ceo'));
    expect(to).not.toContain(id('maria'));
    expect(to).not.toContain(id('li'));
    const sent = await s.fake.waitFor('chat.postMessage', (call) => call.body.channel === 'U1' && String(call.body.text).startsWith('Reminder: sign off your review of “Q4 2026 access review” by '));
    expect(messageBlockErrors(sent.body.blocks)).toEqual([]);
    expect(JSON.stringify(sent.body.blocks)).toContain(`"text":"Sign off","emoji":true},"action_id":"${ACTION.reviewSignOff}","value":"${c.id}:${id('ceo')}"`);
    const [event] = (await eventsOf('review.reminded')).filter((e) => e.subject.reviewer === id('ceo'));
    expect(event!.payload).toMatchObject({ pending: 0, signOff: true });
  });

  it('refuses a sign-off once the campaign is closed, and the closed DM still shows who signed', async () => {
    await clickSignOff('U1', `${c.id}:${id('ceo')}`);
    const view = (await s.fake.waitFor('views.open')).body.view as { private_metadata: string };
    await closeCampaign(s.deps, { campaignId: c.id, actor: 'test' });
    const late = await submit('U1', view.private_metadata);
    expect(late.json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.signOffConfirm]: 'Campaign "Q4 2026 access review" is closed: it can no longer be signed off.' } });
    expect((await refusals('ceo')).map((e) => (e.payload as { reason: string }).reason)).toEqual(['campaign closed']);
    expect(await t.db.select().from(reviewSignoff).where(eq(reviewSignoff.reviewerId, id('ceo')))).toHaveLength(0);
    // Closing does not edit the DMs; rendered now, maria's says it is closed and who signed.
    const plan = await RENDERERS['review.refresh']!(s.deps, { kind: 'review.refresh', payload: { campaignId: c.id, reviewerId: id('maria') } } as unknown as OutboxRow);
    const closed = JSON.stringify(plan!.messages[0]!.blocks);
    expect(closed).toContain('is closed');
    expect(closed).toContain('*Signed off* by maria');
    expect(closed).not.toContain('"text":"Sign off"');
  });
});
