import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { OktaOrg } from '../fakes/okta/index.js';
import { roleLabel } from '../fakes/okta/org.js';
import type { FakeSlack, FakeUser, RecordedCall } from '../fakes/slack-server.js';
import { Journey } from '../helpers/journey.js';
import { ACME, acmeEmail, acmeName, acmeSlackUsers, addAcmePeople, type AcmeWho } from '../helpers/journey-acme.js';
import { buttonsOf, csvRows, describeCalls, messageText, readZip, reviewEntries, type ReviewEntry } from '../helpers/journey-tools.js';
import { blockActionsPayload, interactionBody } from '../helpers/slack-request.js';

/**
 * Journey 2, README's "Reviews in Slack" in depth, as real processes against the fake Okta and
 * the fake Slack: a campaign created with `--second-level owner` and its own `--attestation`;
 * the manager decides every item through signed clicks (Approve a privileged admin role, Keep
 * as exception through the ⋯ menu, Revoke with its reason), then signs off with the campaign's
 * statement, once; the approved privileged access goes to a second reviewer, who decides it in
 * their own DM. Observed from outside only: the CLI's --json, the fake Slack, the bundle.
 */
const OKTA_TOKEN = 'ssws-journey-review-depth';
const PEOPLE = ACME;
type Who = Exclude<AcmeWho, 'sara' | 'tom'>;
const STAFF: Who[] = ['cora', 'carla', 'maya', 'leo', 'sam'];
const email = acmeEmail;
const name = acmeName;
/** Carla owns the campaign; Okta's admin roles have no owner, so she is the second reviewer. */
const OWNER: Who = 'carla';
const CAMPAIGN = 'Q4 privileged access review';
const ATTESTATION = 'I confirm that every access below was checked against the engineering access policy.';
const REASON = 'Sam moved to support and no longer deploys to AWS';
const CONTROL = 'Every GitHub admin action is reviewed weekly by the security team';
const SUPER_ADMIN = roleLabel('SUPER_ADMIN');

function buildOkta() {
  const org = new OktaOrg();
  const ids = addAcmePeople(org, [['cora'], ['carla', 'cora'], ['maya', 'cora'], ['leo', 'maya'], ['sam', 'maya']], { lastLoginDaysAgo: 3 });
  // Maya reviews three items: Leo's admin role (privileged), Leo's GitHub and Sam's AWS Console.
  org.assignRole(ids.leo, 'SUPER_ADMIN');
  const github = org.addApp({ label: 'GitHub', name: 'github' });
  org.assignUserToApp(github.id, ids.leo);
  const aws = org.addApp({ label: 'AWS Console', name: 'aws' });
  org.assignUserToApp(aws.id, ids.sam);
  return org;
}

// UTC readers: an exception's end date is the end of that day in the reviewer's zone.
const slackUsers: FakeUser[] = acmeSlackUsers(STAFF, 'UTC');

const j = new Journey('review-depth').register();
let slack: FakeSlack;
let campaignId = '';
let mayaDm: { channel: string; ts: string };
let carlaDm: { channel: string; ts: string };
let adminRole: ReviewEntry;
let github: ReviewEntry;
let awsConsole: ReviewEntry;
let signOffValue = '';
let signOffMeta = '';
let secondItemId = '';
/** The exception's end date as picked in the modal: 30 days ahead. */
const exceptionEnd = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

const isReviewPost = (c: RecordedCall) => c.method === 'chat.postMessage' && String((c.body as { text?: string }).text ?? '').includes(`Access review “${CAMPAIGN}”`);
const slackTranscript = () => `Slack calls so far:\n${describeCalls(slack.calls) || '(none)'}`;
const current = (dm: { channel: string; ts: string }) => slack.state.findMessage(dm.channel, dm.ts);
const updatedWith = (dm: { ts: string }, text: string) => (c: RecordedCall) => c.body.ts === dm.ts && JSON.stringify(c.body.blocks).includes(text);

async function click(userId: string, actionId: string, value: string, dm: { channel: string; ts: string }, key: string) {
  const res = await j.serve!.slack.action({ userId, actionId, value, channelId: dm.channel, messageTs: dm.ts, responseUrl: slack.responseUrl(key) });
  expect(res.status, `POST /slack/events answered ${res.status} ${res.text}\n${j.explain()}`).toBe(200);
}
type ModalView = { callback_id?: string; private_metadata: string; blocks: { block_id?: string; text?: { type: string; text: string } }[] };
const viewsSince = (since: number) => slack.calls.slice(since).flatMap((c) => (c.method === 'views.open' || c.method === 'views.update' ? [c.body.view as ModalView] : []));
/**
 * A click's answer: a message at its response_url, or (when the work outlasted the click's
 * 3-second trigger, as on a busy machine) the modal opened as "loading" and then updated to say it.
 */
const answered = (key: string, since: number) =>
  j.until(
    `no answer to the click (response_url ${key}, or a modal saying why)\n${slackTranscript()}`,
    () => {
      const reply = slack.calls.find((c) => c.method === 'response_url' && c.key === key);
      if (reply) return (reply.body as { text: string }).text;
      const problem = viewsSince(since).find((v) => !v.callback_id && v.blocks.some((b) => b.text?.text.startsWith(':warning: ')));
      return problem?.blocks.map((b) => b.text?.text ?? '').find((t) => t.startsWith(':warning: '))?.replace(/^:warning: /, '');
    },
    15_000,
  );
/** The modal with `callbackId` that a click opened (at once, or by updating its "loading" modal). */
const modalSince = (since: number, callbackId: string, what: string) =>
  j.until(`${what} did not open its modal (${callbackId})\n${slackTranscript()}`, () => viewsSince(since).find((v) => v.callback_id === callbackId), 15_000);

describe('journey: review depth — exception, revoke, sign-off with the campaign’s statement, and a second level', () => {
  it('syncs Okta, creates a second-level campaign with its own attestation and launches it to the manager', async () => {
    ({ slack } = await j.startFakes({ okta: { apiToken: OKTA_TOKEN, org: buildOkta() }, slack: { users: slackUsers } }));
    j.serveEnv = { LOG_LEVEL: 'info' };

    expect((await j.attest('roles', 'grant', 'admin', email(OWNER))).status, j.explain()).toBe(0);
    const reports = await j.json<Record<string, unknown>[]>('sync');
    expect(reports, j.explain()).toEqual([expect.objectContaining({ source: 'okta', status: 'succeeded', accounts: 5 })]);

    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const created = await j.json<{ id: string; secondLevel: string | null; attestation: string | null }>(
      'campaign',
      'create',
      '--name',
      CAMPAIGN,
      '--due',
      due,
      '--owner',
      email(OWNER),
      '--second-level',
      'owner',
      '--attestation',
      ATTESTATION,
    );
    expect(created, j.explain()).toMatchObject({ id: expect.any(String), secondLevel: 'owner', attestation: ATTESTATION });
    campaignId = created.id;

    const launched = await j.json<{ reviewers: number; items: number; fallbacks: unknown[] }>('campaign', 'launch', campaignId);
    expect(launched, j.explain()).toMatchObject({ reviewers: 1, items: 3, fallbacks: [] });
  }, 180_000);

  it('serve delivers the review DM to the manager, with Approve, Revoke and the ⋯ menu on each item', async () => {
    await j.startServe();
    const post = await j.expecting(
      `no review DM reached ${name('maya')}\n${slackTranscript()}`,
      slack.waitFor('chat.postMessage', (c) => c.body.channel === PEOPLE.maya.slack && isReviewPost(c), 30_000),
    );
    const { channel, ts } = post.response as { channel: string; ts: string };
    mayaDm = { channel, ts };
    const blocks = current(mayaDm)?.blocks;
    const entries = reviewEntries(blocks, ACTION.reviewApprove, ACTION.reviewRevoke);
    const find = (who: Who, resource: string) => entries.find((e) => e.person.includes(email(who)) && e.item.startsWith(`*${resource}*`));
    const listed = entries.map((e) => `${e.person.split('\n')[0]} | ${e.item.split('\n')[0]}`).join('\n');
    expect(entries, `items in Maya's DM:\n${listed}`).toHaveLength(3);
    adminRole = find('leo', SUPER_ADMIN)!;
    github = find('leo', 'GitHub')!;
    awsConsole = find('sam', 'AWS Console')!;
    expect(adminRole, `no "${SUPER_ADMIN}" item for Leo:\n${listed}`).toBeDefined();
    expect(adminRole.item, 'the admin role is not shown as privileged').toContain('*privileged*');
    expect(github, `no GitHub item for Leo:\n${listed}`).toBeDefined();
    expect(awsConsole, `no AWS Console item for Sam:\n${listed}`).toBeDefined();
    // Each pending item offers Keep as exception in its overflow menu, valued with the item id.
    const menus = ((blocks ?? []) as { type: string; elements?: { type: string; action_id?: string; options?: { value: string }[] }[] }[])
      .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
      .filter((e) => e.type === 'overflow' && e.action_id === ACTION.reviewKeep)
      .map((e) => e.options?.map((o) => o.value));
    expect(menus.sort()).toEqual([adminRole, github, awsConsole].map((e) => [e.approve]).sort());
    expect(buttonsOf(blocks).some((b) => b.actionId === ACTION.reviewSignOff), 'Sign off is offered before anything is decided').toBe(false);
  }, 180_000);

  it('Approve on the privileged admin role sends it to the second reviewer, in a review DM of their own', async () => {
    await click(PEOPLE.maya.slack, ACTION.reviewApprove, adminRole.approve!, mayaDm, 'approve-admin');
    await j.expecting(`Maya's DM does not show the approval\n${slackTranscript()}`, slack.waitFor('chat.update', updatedWith(mayaDm, `*Approved* by ${name('maya')}`), 15_000));

    const post = await j.expecting(
      `no second-review DM reached ${name(OWNER)} (Okta roles have no owner: the campaign owner reviews)\n${slackTranscript()}\n${j.explain()}`,
      slack.waitFor('chat.postMessage', (c) => c.body.channel === PEOPLE[OWNER].slack && isReviewPost(c), 30_000),
    );
    const { channel, ts } = post.response as { channel: string; ts: string };
    carlaDm = { channel, ts };
    const text = messageText(current(carlaDm));
    expect(text, 'the second reviewer is not told whose approval this is').toMatch(new RegExp(`Second review: approved by ${name('maya')} on <!date\\^\\d+\\^`));
    const [entry, ...more] = reviewEntries(current(carlaDm)?.blocks, ACTION.reviewApprove, ACTION.reviewRevoke);
    expect(more, `Carla's DM holds more than the second review:\n${text}`).toEqual([]);
    expect(entry!.person).toContain(email('leo'));
    expect(entry!.item.startsWith(`*${SUPER_ADMIN}*`)).toBe(true);
    secondItemId = entry!.approve!;
    expect(secondItemId).not.toBe(adminRole.approve);

    // The first approver cannot take the second decision too.
    const since = slack.calls.length;
    await click(PEOPLE.maya.slack, ACTION.reviewApprove, secondItemId, carlaDm, 'maya-second');
    expect(await answered('maya-second', since)).toMatch(/^Only the reviewer this item is assigned to/);
  }, 90_000);

  it('Keep as exception (⋯ menu) asks for the compensating control and the end date, and records it', async () => {
    const before = slack.calls.length;
    const payload = blockActionsPayload({ userId: PEOPLE.maya.slack, actionId: ACTION.reviewKeep, channelId: mayaDm.channel, messageTs: mayaDm.ts, responseUrl: slack.responseUrl('keep') });
    payload.actions = [
      { type: 'overflow', action_id: ACTION.reviewKeep, block_id: 'b', selected_option: { text: { type: 'plain_text', text: 'Keep as exception' }, value: github.approve }, action_ts: String(Date.now() / 1000) },
    ];
    const res = await j.serve!.slack.send(interactionBody(payload));
    expect(res.status, res.text).toBe(200);
    const view = await modalSince(before, CALLBACK.keepException, 'Keep as exception');
    expect(view.callback_id).toBe(CALLBACK.keepException);

    const submitted = await j.serve!.slack.viewSubmission({
      userId: PEOPLE.maya.slack,
      callbackId: CALLBACK.keepException,
      privateMetadata: view.private_metadata,
      values: {
        [BLOCK.keepControl]: { value: { type: 'plain_text_input', value: CONTROL } },
        [BLOCK.keepEndsAt]: { value: { type: 'datepicker', selected_date: exceptionEnd } },
      },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.json()?.response_action, `the exception modal refused: ${submitted.text}\n${j.explain()}`).toBeUndefined();
    await j.expecting(`Maya's DM does not show the exception\n${slackTranscript()}`, slack.waitFor('chat.update', updatedWith(mayaDm, `Kept as exception by ${name('maya')}`), 15_000));
  }, 60_000);

  it('Revoke asks why; after this last decision the DM offers Sign off', async () => {
    const before = slack.calls.length;
    await click(PEOPLE.maya.slack, ACTION.reviewRevoke, awsConsole.revoke!, mayaDm, 'revoke');
    const view = await modalSince(before, CALLBACK.revokeReason, 'Revoke');
    expect(view.callback_id).toBe(CALLBACK.revokeReason);
    const submitted = await j.serve!.slack.viewSubmission({
      userId: PEOPLE.maya.slack,
      callbackId: CALLBACK.revokeReason,
      privateMetadata: view.private_metadata,
      values: {
        [BLOCK.revokeReason]: { value: { type: 'plain_text_input', value: REASON } },
        [BLOCK.revokeTiming]: { value: { type: 'radio_buttons', selected_option: { value: 'now' } } },
      },
    });
    expect(submitted.json()?.response_action, `the reason modal refused: ${submitted.text}`).toBeUndefined();
    const updated = await j.expecting(
      `Maya's DM does not offer Sign off once everything is decided\n${slackTranscript()}`,
      slack.waitFor('chat.update', (c) => updatedWith(mayaDm, `*Revoked* by ${name('maya')}`)(c) && buttonsOf(c.body.blocks).some((b) => b.actionId === ACTION.reviewSignOff), 15_000),
    );
    expect(JSON.stringify(updated.body.blocks)).toContain('All 3 items are decided.');
    signOffValue = buttonsOf(updated.body.blocks).find((b) => b.actionId === ACTION.reviewSignOff)!.value!;
  }, 60_000);

  it('refuses Sign off clicked by someone else on the manager’s DM', async () => {
    const since = slack.calls.length;
    await click(PEOPLE.leo.slack, ACTION.reviewSignOff, signOffValue, mayaDm, 'leo-signoff');
    expect(await answered('leo-signoff', since)).toBe('Only the reviewer whose items these are can sign off their review.');
    expect(viewsSince(since).filter((v) => v.callback_id === CALLBACK.signOff), 'a sign-off modal opened for someone else').toEqual([]);
  }, 60_000);

  it('Sign off shows the campaign’s statement; submitting records it once and the DM says who signed', async () => {
    const before = slack.calls.length;
    await click(PEOPLE.maya.slack, ACTION.reviewSignOff, signOffValue, mayaDm, 'signoff');
    const view = await modalSince(before, CALLBACK.signOff, 'Sign off');
    expect(view.callback_id).toBe(CALLBACK.signOff);
    expect(view.blocks.find((b) => b.block_id === BLOCK.signOffStatement)?.text).toEqual({ type: 'plain_text', text: ATTESTATION, emoji: false });
    signOffMeta = view.private_metadata;

    const submit = () =>
      j.serve!.slack.viewSubmission({
        userId: PEOPLE.maya.slack,
        callbackId: CALLBACK.signOff,
        privateMetadata: signOffMeta,
        values: { [BLOCK.signOffConfirm]: { value: { type: 'checkboxes', selected_options: [{ value: 'yes' }] } } },
      });
    const first = await submit();
    expect([first.status, first.text], j.explain()).toEqual([200, '']);
    const signed = await j.expecting(
      `Maya's DM does not say she signed off\n${slackTranscript()}`,
      slack.waitFor('chat.update', updatedWith(mayaDm, `*Signed off* by ${name('maya')}`), 15_000),
    );
    expect(buttonsOf(signed.body.blocks).some((b) => b.actionId === ACTION.reviewSignOff), 'Sign off is still offered after signing').toBe(false);

    // The same modal submitted again (a double submit, a retry) is answered, and records nothing more (see the bundle).
    const again = await submit();
    expect([again.status, again.text]).toEqual([200, '']);
    // An old copy of the button is told it is done.
    const since = slack.calls.length;
    await click(PEOPLE.maya.slack, ACTION.reviewSignOff, signOffValue, mayaDm, 'signoff-again');
    expect(await answered('signoff-again', since)).toMatch(new RegExp(`^You already signed off your review of “${CAMPAIGN}” on `));
  }, 60_000);

  it('`attest campaign status` (beside serve) shows the second review pending', async () => {
    const status = await j.pausingServe(() => j.json<Record<string, unknown>>('campaign', 'status', campaignId));
    expect(status, j.explain()).toMatchObject({ items: 4, pending: 1, approved: 1, revoked: 1, kept: 1, secondLevel: { rule: 'owner', items: 1, pending: 1, approved: 0, revoked: 0, kept: 0 } });
  }, 180_000);

  it('the second reviewer approves in their DM', async () => {
    await click(PEOPLE[OWNER].slack, ACTION.reviewApprove, secondItemId, carlaDm, 'carla-approve');
    await j.expecting(`Carla's DM does not show her approval\n${slackTranscript()}`, slack.waitFor('chat.update', updatedWith(carlaDm, `*Approved* by ${name(OWNER)}`), 15_000));
  }, 60_000);

  it('`attest campaign status` counts approvals, the revocation and the exception apart, and the second level', async () => {
    await j.stopServe();
    const status = await j.json<{ fallbacks: { reason: string; reviewer: string; level?: number }[] } & Record<string, unknown>>('campaign', 'status', campaignId);
    expect(status, j.explain()).toMatchObject({
      id: campaignId,
      items: 4,
      pending: 0,
      approved: 2,
      revoked: 1,
      kept: 1,
      reviewers: 2,
      secondLevel: { rule: 'owner', items: 1, pending: 0, approved: 1, revoked: 0, kept: 0 },
    });
    // The admin role has no owner in Okta: the campaign owner stood in, and status says why.
    expect(status.fallbacks).toEqual([expect.objectContaining({ level: 2, reviewer: email(OWNER), reason: `${SUPER_ADMIN} has no owner` })]);
  }, 90_000);

  it('exports the campaign: sign-off with its statement and digest, the exception, both levels; the bundle verifies', async () => {
    const out = j.path('review-depth.zip');
    const exported = await j.json<{ files: string[] }>('export', '--campaign', campaignId, '--out', out);
    expect(exported.files, j.explain()).toEqual(expect.arrayContaining(['decisions.csv', 'signoffs.csv', 'exceptions.csv', 'evidence.jsonl', 'manifest.json']));
    const zip = await readZip(out);
    const decisions = csvRows(zip.get('decisions.csv') ?? '');
    const shown = `decisions.csv:\n${zip.get('decisions.csv')}\nsignoffs.csv:\n${zip.get('signoffs.csv')}\nexceptions.csv:\n${zip.get('exceptions.csv')}`;

    const shape = (r: Record<string, string>) => [r.level, r.person_email, r.resource, r.decision, r.reviewer_email];
    expect(decisions.map(shape).sort(), shown).toEqual(
      [
        ['1', email('leo'), SUPER_ADMIN, 'approved', email('maya')],
        ['1', email('leo'), 'GitHub', 'kept', email('maya')],
        ['1', email('sam'), 'AWS Console', 'revoked', email('maya')],
        ['2', email('leo'), SUPER_ADMIN, 'approved', email(OWNER)],
      ].sort(),
    );
    const kept = decisions.find((r) => r.decision === 'kept')!;
    expect(kept).toMatchObject({ exception_control: CONTROL, item_id: github.approve });
    expect(decisions.find((r) => r.decision === 'revoked')).toMatchObject({ reason: REASON });

    const exceptions = csvRows(zip.get('exceptions.csv') ?? '');
    expect(exceptions, shown).toHaveLength(1);
    expect(exceptions[0]).toMatchObject({ item_id: github.approve, email: email('leo'), resource: 'GitHub', control: CONTROL, decided_by_email: email('maya') });
    // The end of the picked day in the reviewer's zone (UTC here).
    expect(exceptions[0]!.ends_at!.slice(0, 10), shown).toBe(exceptionEnd);
    expect(new Date(exceptions[0]!.ends_at!).getTime()).toBeGreaterThan(new Date(`${exceptionEnd}T23:59:00Z`).getTime());

    const signoffs = csvRows(zip.get('signoffs.csv') ?? '');
    const maya = signoffs.find((r) => r.reviewer_email === email('maya'));
    expect(maya, shown).toMatchObject({ items: '3', decided: '3', statement: ATTESTATION, item_count: '3', items_digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(maya!.signed_at).not.toBe('');
    // The second reviewer never signed: listed, with no sign-off.
    expect(signoffs.find((r) => r.reviewer_email === email(OWNER)), shown).toMatchObject({ items: '1', decided: '1', signed_at: '' });

    // README's recipe, recomputed from decisions.csv: hex SHA-256 of `<item id>,<decision>,<decided at>\n` in item id order.
    const mine = decisions.filter((r) => r.assigned_reviewer_email === email('maya')).sort((a, b) => (a.item_id! < b.item_id! ? -1 : 1));
    const digest = createHash('sha256')
      .update(mine.map((r) => `${r.item_id},${r.decision},${r.decided_at}\n`).join(''))
      .digest('hex');
    expect(maya!.items_digest, `digest recomputed from decisions.csv\n${shown}`).toBe(digest);

    // Two submissions and an old button: one sign-off event; the refused click is on record too.
    const events = (zip.get('evidence.jsonl') ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { action: string; payload: Record<string, unknown> });
    const signedOff = events.filter((e) => e.action === 'review.signed_off');
    expect(signedOff, 'review.signed_off events in evidence.jsonl').toHaveLength(1);
    expect(signedOff[0]!.payload).toMatchObject({ statement: ATTESTATION, itemCount: 3, itemsDigest: digest });
    expect(events.filter((e) => e.action === 'security.refused' && e.payload.attempted === 'review.sign_off').map((e) => e.payload.reason)).toEqual(['not the reviewer']);

    const bundle = await j.json<{ ok: boolean }>('verify', '--bundle', out);
    expect(bundle, j.explain()).toMatchObject({ ok: true });
  }, 120_000);
});
