import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { OktaOrg } from '../fakes/okta/index.js';
import type { FakeSlack, FakeUser, RecordedCall } from '../fakes/slack-server.js';
import { Journey } from '../helpers/journey.js';
import { ACME, acmeEmail, acmeName, acmeSlackUsers, addAcmePeople, type AcmeWho } from '../helpers/journey-acme.js';
import { csvRows, describeCalls, readZip, reviewEntries, type ReviewEntry } from '../helpers/journey-tools.js';

/**
 * Journey 1, README's operator path for an access review, as real processes against the fake
 * Okta and the fake Slack: `attest roles grant admin`, `attest sync` (with Slack configured),
 * `attest campaign create` and `launch`, `attest serve` delivering one DM per manager, the
 * manager's signed clicks (Approve; Revoke with its reason modal), `attest campaign status`,
 * `attest export --campaign` and `attest verify --bundle`. Nothing is written to the database
 * by the test: everything is observed through the CLI's --json, the fakes and the bundle.
 */
const OKTA_TOKEN = 'ssws-journey-reviews';
const PEOPLE = ACME;
type Who = AcmeWho;
const email = acmeEmail;
const name = acmeName;
/** Managers whose reports hold access: the reviewers. Carla owns the campaign (the fallback reviewer). */
const MANAGERS: Who[] = ['cora', 'maya', 'sara'];
const OWNER: Who = 'carla';
const CAMPAIGN = 'Q3 access review';
const REASON = 'Leo moved to the payments team and no longer administers AWS';

function buildOkta() {
  const org = new OktaOrg();
  const ids = addAcmePeople(
    org,
    [['cora'], ['maya', 'cora'], ['sara', 'cora'], ['carla', 'cora'], ['leo', 'maya'], ['sam', 'maya'], ['tom', 'sara']],
    { lastLoginDaysAgo: 3 },
  );

  const engineering = org.addGroup({ name: 'Engineering' });
  const awsAdmins = org.addGroup({ name: 'AWS Admins' });
  const sales = org.addGroup({ name: 'Sales' });
  for (const who of ['maya', 'leo', 'sam'] as const) org.addMember(engineering.id, ids[who]);
  org.addMember(awsAdmins.id, ids.leo);
  for (const who of ['sara', 'tom'] as const) org.addMember(sales.id, ids[who]);
  const github = org.addApp({ label: 'GitHub', name: 'github' });
  org.assignUserToApp(github.id, ids.maya);
  org.assignUserToApp(github.id, ids.leo);
  const salesforce = org.addApp({ label: 'Salesforce', name: 'salesforce' });
  org.assignUserToApp(salesforce.id, ids.sara);
  org.assignGroupToApp(salesforce.id, sales.id); // Tom holds Salesforce through his group
  return org;
}

const slackUsers: FakeUser[] = [
  // Slack's copy of Sara's email differs in case only.
  ...acmeSlackUsers(Object.keys(PEOPLE) as Who[], 'Europe/London', { sara: 'Sara@Acme.test' }),
  { id: 'U0GUEST', name: 'guest', real_name: 'A Guest', email: 'guest@partner.test', tz: 'America/New_York' },
];

const j = new Journey('reviews').register();
let slack: FakeSlack;
let campaignId = '';
let approved: ReviewEntry;
let revoked: ReviewEntry;
let reviewDm: { channel: string; ts: string };

const reviewPosts = (calls: RecordedCall[]) =>
  calls.filter((c) => c.method === 'chat.postMessage' && String((c.body as { text?: string }).text ?? '').includes(`Access review “${CAMPAIGN}”`));
const slackTranscript = () => `Slack calls so far:\n${describeCalls(slack.calls) || '(none)'}`;

describe('journey: a manager review, from sync to a verified evidence bundle', () => {
  it('syncs Okta with Slack configured, then creates and launches a campaign with no fallback reviewer', async () => {
    ({ slack } = await j.startFakes({ okta: { apiToken: OKTA_TOKEN, org: buildOkta() }, slack: { users: slackUsers } }));
    j.serveEnv = { LOG_LEVEL: 'info' };

    // The first command on an empty database applies the migrations itself.
    expect((await j.attest('roles', 'grant', 'admin', email(OWNER))).status, j.explain()).toBe(0);

    const reports = await j.json<Record<string, unknown>[]>('sync');
    expect(reports, j.explain()).toEqual([expect.objectContaining({ source: 'okta', status: 'succeeded' })]);
    expect(reports[0], j.explain()).toMatchObject({ accounts: 7 });
    // With Slack configured, the sync maps people to Slack users and says how many (DESIGN.md).
    const linked = reports.map((r) => r.slackLinked).find((v) => v !== undefined);
    expect
      .soft(linked, `attest sync --json does not report slackLinked although SLACK_BOT_TOKEN and SLACK_API_URL are set\n${j.explain()}`)
      .toBe(7);
    expect.soft(slack.callsTo('users.list').length, `attest sync never called users.list at the fake Slack\n${slackTranscript()}`).toBeGreaterThan(0);

    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const created = await j.json<{ id: string; name: string }>('campaign', 'create', '--name', CAMPAIGN, '--due', due, '--owner', email(OWNER));
    expect(created, j.explain()).toMatchObject({ id: expect.any(String), name: CAMPAIGN });
    campaignId = created.id;

    const launched = await j.json<{ id: string; reviewers: number; items: number; fallbacks: unknown[] }>('campaign', 'launch', campaignId);
    expect(launched, j.explain()).toMatchObject({ id: campaignId, reviewers: MANAGERS.length });
    expect(launched.fallbacks, `launch routed items to the fallback owner\n${j.explain()}`).toEqual([]);
  }, 180_000);

  it('serve delivers exactly one review DM to each manager, at their Slack user id, and none to the fallback owner', async () => {
    await j.startServe();
    for (const who of MANAGERS) {
      await j.expecting(
        `no review DM reached ${name(who)} (${PEOPLE[who].slack}); people must be linked to Slack users by \`attest sync\` (SLACK_BOT_TOKEN + SLACK_API_URL set)\n${slackTranscript()}`,
        slack.waitFor('chat.postMessage', (c) => c.body.channel === PEOPLE[who].slack && reviewPosts([c]).length === 1, 30_000),
      );
    }
    // Anything else queued would have gone out by now: the outbox sends within a second per channel.
    await new Promise((r) => setTimeout(r, 2000));
    const byChannel = new Map<string, number>();
    for (const c of reviewPosts(slack.calls)) byChannel.set(String(c.body.channel), (byChannel.get(String(c.body.channel)) ?? 0) + 1);
    expect(Object.fromEntries(byChannel), `review DMs per channel\n${slackTranscript()}\n${j.explain()}`).toEqual(
      Object.fromEntries(MANAGERS.map((who) => [PEOPLE[who].slack, 1])),
    );
    expect(byChannel.has(PEOPLE[OWNER].slack), 'the fallback owner got a review DM').toBe(false);
    expect(reviewPosts(slack.calls).every((c) => (c.response as { ok: boolean }).ok), slackTranscript()).toBe(true);

    const post = reviewPosts(slack.calls).find((c) => c.body.channel === PEOPLE.maya.slack)!;
    const { channel, ts } = post.response as { channel: string; ts: string };
    reviewDm = { channel, ts };
    const entries = reviewEntries(slack.state.findMessage(channel, ts)?.blocks, ACTION.reviewApprove, ACTION.reviewRevoke);
    const find = (resource: string) => entries.find((e) => e.person.includes(email('leo')) && e.item.startsWith(`*${resource}*`));
    const describeEntries = entries.map((e) => `${e.person.split('\n')[0]} | ${e.item.split('\n')[0]}`).join('\n');
    expect(find('GitHub'), `no pending "GitHub" item for Leo in Maya's DM; items:\n${describeEntries}`).toBeDefined();
    expect(find('AWS Admins'), `no pending "AWS Admins" item for Leo in Maya's DM; items:\n${describeEntries}`).toBeDefined();
    approved = find('GitHub')!;
    revoked = find('AWS Admins')!;
  }, 180_000);

  it('records Maya’s signed Approve click and refreshes her DM', async () => {
    const serve = j.serve!;
    const clickedAt = Date.now();
    const res = await serve.slack.action({
      userId: PEOPLE.maya.slack,
      actionId: ACTION.reviewApprove,
      value: approved.approve!,
      channelId: reviewDm.channel,
      messageTs: reviewDm.ts,
      responseUrl: slack.responseUrl('approve'),
    });
    expect(res.status, `POST /slack/events answered ${res.status} ${res.text}\n${j.explain()}`).toBe(200);
    const updated = await j.expecting(
      `Maya's DM was not updated to show the approval\n${slackTranscript()}`,
      slack.waitFor('chat.update', (c) => c.body.ts === reviewDm.ts && JSON.stringify(c.body.blocks).includes(`*Approved* by ${name('maya')}`), 15_000),
    );
    j.note(`Approve click → DM refresh: ${updated.at - clickedAt} ms`);
  }, 60_000);

  it('asks Maya why on Revoke (a modal) and records the revocation with her reason', async () => {
    const serve = j.serve!;
    const opensBefore = slack.callsTo('views.open').length;
    const res = await serve.slack.action({
      userId: PEOPLE.maya.slack,
      actionId: ACTION.reviewRevoke,
      value: revoked.revoke!,
      channelId: reviewDm.channel,
      messageTs: reviewDm.ts,
      responseUrl: slack.responseUrl('revoke'),
    });
    expect(res.status, `POST /slack/events answered ${res.status} ${res.text}`).toBe(200);
    const opened = await j.expecting(
      `Revoke did not open the reason modal\n${slackTranscript()}`,
      j.until('views.open after Revoke', () => slack.callsTo('views.open')[opensBefore], 15_000),
    );
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(CALLBACK.revokeReason);

    const submitted = await serve.slack.viewSubmission({
      userId: PEOPLE.maya.slack,
      callbackId: CALLBACK.revokeReason,
      privateMetadata: view.private_metadata,
      values: {
        [BLOCK.revokeReason]: { value: { type: 'plain_text_input', value: REASON } },
        [BLOCK.revokeTiming]: { value: { type: 'radio_buttons', selected_option: { value: 'now' } } },
      },
    });
    expect(submitted.status, `view_submission answered ${submitted.status} ${submitted.text}`).toBe(200);
    expect(submitted.json()?.response_action, `the reason modal refused the submission: ${submitted.text}\n${j.explain()}`).toBeUndefined();
    await j.expecting(
      `Maya's DM was not updated to show the revocation\n${slackTranscript()}`,
      slack.waitFor('chat.update', (c) => c.body.ts === reviewDm.ts && JSON.stringify(c.body.blocks).includes(`*Revoked* by ${name('maya')}`), 15_000),
    );
  }, 60_000);

  it('`attest campaign status` counts one approval and one revocation, with no fallbacks', async () => {
    await j.stopServe();
    const status = await j.json<{ id: string; status: string; items: number; pending: number; approved: number; revoked: number; reviewers: number; fallbacks: unknown[] }>(
      'campaign',
      'status',
      campaignId,
    );
    expect(status, j.explain()).toMatchObject({ id: campaignId, name: CAMPAIGN, approved: 1, revoked: 1, reviewers: MANAGERS.length, fallbacks: [] });
    expect(status.pending, j.explain()).toBe(status.items - 2);
  }, 60_000);

  it('exports the campaign: decisions.csv holds both decisions with the reviewer’s email and Slack id; the bundle verifies', async () => {
    const out = j.path('q3-review.zip');
    const exported = await j.json<{ file: string; sha256: string; files: string[] }>('export', '--campaign', campaignId, '--out', out);
    expect(exported, j.explain()).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(exported.files, j.explain()).toEqual(expect.arrayContaining(['decisions.csv', 'manifest.json']));

    const zip = await readZip(out);
    const rows = csvRows(zip.get('decisions.csv') ?? '');
    const decided = rows.filter((r) => r.decision !== 'pending');
    const shape = (r: Record<string, string>) => ({
      person_email: r.person_email,
      resource: r.resource,
      decision: r.decision,
      reviewer_email: r.reviewer_email,
      reviewer_slack_user_id: r.reviewer_slack_user_id,
      reason: r.reason,
    });
    expect(decided.map(shape).sort((a, b) => a.resource!.localeCompare(b.resource!)), `decisions.csv:\n${zip.get('decisions.csv')}`).toEqual([
      { person_email: email('leo'), resource: 'AWS Admins', decision: 'revoked', reviewer_email: email('maya'), reviewer_slack_user_id: PEOPLE.maya.slack, reason: REASON },
      { person_email: email('leo'), resource: 'GitHub', decision: 'approved', reviewer_email: email('maya'), reviewer_slack_user_id: PEOPLE.maya.slack, reason: '' },
    ]);
    expect(rows.every((r) => r.campaign_id === campaignId)).toBe(true);

    const bundle = await j.json<{ ok: boolean }>('verify', '--bundle', out);
    expect(bundle, j.explain()).toMatchObject({ ok: true });
  }, 90_000);
});
