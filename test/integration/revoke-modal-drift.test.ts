import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessRequest, reviewItem, type ReviewItem } from '../../src/db/schema/index.js';
import { ensureDriftCampaign } from '../../src/domain/drift/drift-campaign.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { buildRevokeModal, REMOVED_NOW_NOTE } from '../../src/slack/views/revoke-modal.js';
import { modalViewErrors } from '../helpers/slack-blocks.js';
import { startReviewFixture, until, type ReviewFixture } from '../helpers/review-fixture.js';

/**
 * Revoking unapproved access (an item of the standing drift campaign, which never closes): the
 * modal offers no "at campaign close", and a submission that asks for it anyway is carried out
 * now and answered as such, the first time and on a retry.
 */
let fixture: ReviewFixture;
let driftItem: ReviewItem;

beforeAll(async () => {
  fixture = await startReviewFixture();
  const { t, org } = fixture;
  // Ann's Engineering appeared without a request; Maria (U2) owns Engineering and decides.
  const template = await fixture.itemOf('u9', 'g1');
  const drift = (await t.db.transaction((tx) => ensureDriftCampaign(tx, new Date('2026-10-01T10:00:00Z'))))!;
  driftItem = (
    await t.db
      .insert(reviewItem)
    .values({
      campaignId: drift.id,
      grantId: template.grantId,
      snapshot: template.snapshot,
      reviewerId: org.people.maria!.id,
      hints: { history: null, compared: false, suggestRevoke: null, unusual: null, outsideRequest: true, drift: { seenAt: '2026-10-01T09:00:00.000Z', syncRunId: crypto.randomUUID() } },
    })
    .returning()
  )[0]!;
});
afterAll(async () => {
  await fixture?.stop();
});
beforeEach(() => fixture.s.fake.reset());

type View = { private_metadata: string; blocks: unknown[] };
async function openRevoke(itemId: string): Promise<View> {
  const res = await fixture.s.slack.action({ userId: 'U2', actionId: ACTION.reviewRevoke, value: itemId, channelId: 'D2', responseUrl: fixture.s.fake.responseUrl(`revoke-${itemId}`) });
  expect(res.status).toBe(200);
  return (await fixture.s.fake.waitFor('views.open')).body.view as View;
}
const submit = (view: View, timing: 'now' | 'close') =>
  fixture.s.slack.viewSubmission({
    userId: 'U2',
    callbackId: CALLBACK.revokeReason,
    privateMetadata: view.private_metadata,
    values: { [BLOCK.revokeReason]: { value: { type: 'plain_text_input', value: 'not on the engineering team' } }, [BLOCK.revokeTiming]: { value: { type: 'radio_buttons', selected_option: { value: timing } } } },
  });
const driftNow = async () => (await fixture.t.db.select().from(reviewItem).where(and(eq(reviewItem.id, driftItem.id))))[0]!;

describe('the Revoke modal for unapproved access', () => {
  it('offers no "at campaign close": it says the access is removed now', async () => {
    const view = await openRevoke(driftItem.id);
    const text = JSON.stringify(view);
    expect(text).not.toContain('At campaign close');
    expect(text).not.toContain(BLOCK.revokeTiming);
    expect(text).toContain(REMOVED_NOW_NOTE);
    expect(text).toContain('Revoking *Engineering*');
    expect(modalViewErrors(view as Parameters<typeof modalViewErrors>[0])).toEqual([]);
    // Filled in from the start: nothing to update, so no moment where "at close" shows.
    expect(fixture.s.fake.callsTo('views.update')).toHaveLength(0);
  });

  it('still offers both timings for an item of an ordinary campaign', async () => {
    const item = await fixture.itemOf('u3', 'g2');
    const text = JSON.stringify(await openRevoke(item.id));
    expect(text).toContain('Remove now');
    expect(text).toContain('At campaign close');
  });

  it('offers no timing at all while the item is not read yet (the slow path), so "at close" never shows for it', () => {
    const text = JSON.stringify(buildRevokeModal({ itemId: 'i1', channelId: 'D1' }, undefined, 'unknown'));
    expect(text).not.toContain('At campaign close');
    expect(text).not.toContain(BLOCK.revokeTiming);
  });

  it('a submission asking for "at close" anyway removes now and says so, the first time and on a retry', async () => {
    const view = await openRevoke(driftItem.id);
    const first = await submit(view, 'close');
    expect(first.status).toBe(200);
    expect(first.json()?.response_action).toBeUndefined();
    const decided = await until(async () => ((i) => (i.requestId ? i : undefined))(await driftNow()));
    expect(decided).toMatchObject({ decision: 'revoked', removalTiming: 'now' });
    const [request] = await fixture.t.db.select().from(accessRequest).where(eq(accessRequest.id, decided.requestId!));
    expect(request).toMatchObject({ kind: 'revoke', details: { removalTiming: 'now' } });
    const told = await fixture.s.fake.waitFor('chat.postEphemeral', (c) => String(c.body.text).startsWith('Revoked'));
    expect(told.body.text).toContain('The removal is under way');

    // Slack resends the same view (same view id): answered as the original success, with the same words.
    fixture.s.fake.reset();
    const again = await submit(view, 'close');
    expect(again.status).toBe(200);
    const retold = await fixture.s.fake.waitFor('chat.postEphemeral', (c) => String(c.body.text).startsWith('Revoked'));
    expect(retold.body.text).not.toContain('when the campaign closes');
    expect(retold.body.text).toContain('The removal is under way');
    expect(await fixture.t.db.select().from(accessRequest).where(eq(accessRequest.grantId, driftItem.grantId))).toHaveLength(1);
  });
});
