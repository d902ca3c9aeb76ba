import { describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/ids.js';
import { OktaOrg } from '../fakes/okta/index.js';
import type { FakeSlack, FakeUser, RecordedCall } from '../fakes/slack-server.js';
import { Journey, NEVER } from '../helpers/journey.js';
import { ACME, acmeEmail, acmeName, acmeSlackUsers, addAcmePeople, type AcmeWho } from '../helpers/journey-acme.js';
import { buttonsOf, csvRows, describeCalls, messageText, readZip } from '../helpers/journey-tools.js';

/**
 * Journey 4, README's "Unapproved access" for an operator, as real processes against the fake
 * Okta and the fake Slack (issue 14): a baseline `attest sync` announces nothing; grants added
 * in Okta between syncs reach the person's manager (Okta names no resource owner) as one DM
 * each within the next `attest sync`, delivered by `attest serve`, with a privileged one also
 * flagged to the compliance channel; the manager's signed Approve is recorded after the fact
 * and edits the DM in place, while the person's own click and a bystander's are refused;
 * `attest findings` lists what stays undecided; `attest digest` posts the control digest with
 * the same figures it printed; the quarter's bundle holds the approval and verifies. Nothing
 * is written to the database by the test.
 */
const OKTA_TOKEN = 'ssws-journey-controls';
const COMPLIANCE = 'C0COMPLIANCE';
/** Everyone reads times in London (UTC in winter, but the zone is theirs, not the server's). */
const READER_TZ = 'Europe/London';

const PEOPLE = ACME;
type Who = Exclude<AcmeWho, 'sara' | 'tom'>;
const STAFF: Who[] = ['cora', 'maya', 'leo', 'sam', 'carla'];
const email = acmeEmail;
const name = acmeName;

/** What appears between the two syncs: nothing behind any of it (no request, no template, no review). */
const ADDED = {
  /** Leo joins Design: approved after the fact by Maya. */
  design: { who: 'leo', resource: 'Design' },
  /** Sam gets GitHub directly: left undecided. */
  github: { who: 'sam', resource: 'GitHub' },
  /** Sam becomes an Okta app administrator: privileged, flagged to compliance, left undecided. */
  role: { who: 'sam', resource: 'App administrator' },
} as const satisfies Record<string, { who: Who; resource: string }>;

const org = new OktaOrg();
const ids = {} as Record<Who, string>;
function buildOkta() {
  Object.assign(ids, addAcmePeople(org, [['cora'], ['maya', 'cora'], ['carla', 'cora'], ['leo', 'maya'], ['sam', 'maya']], { lastLoginDaysAgo: 1 }));
  const engineering = org.addGroup({ name: 'Engineering' });
  for (const who of ['maya', 'leo', 'sam'] as const) org.addMember(engineering.id, ids[who]);
  const design = org.addGroup({ name: 'Design' });
  org.addMember(design.id, ids.maya);
  const github = org.addApp({ label: 'GitHub', name: 'github' });
  org.assignUserToApp(github.id, ids.maya);
  org.assignUserToApp(github.id, ids.leo);
  return { design, github };
}
const okResources = buildOkta();

const slackUsers: FakeUser[] = acmeSlackUsers(STAFF, READER_TZ);

const j = new Journey('controls').register();
let slack: FakeSlack;
/** When the second sync ran: the DMs' date is the day the grants were first seen, in Maya's zone. */
let seenBetween: [Date, Date];
/** Maya's DM per added grant: its channel, ts and item id (the Approve button's value). */
const dms = new Map<keyof typeof ADDED, { channel: string; ts: string; itemId: string }>();

const slackTranscript = () => `Slack calls so far:\n${describeCalls(slack.calls) || '(none)'}`;
const posts = (channel?: string) => slack.callsTo('chat.postMessage').filter((c) => channel === undefined || c.body.channel === channel);
const textOf = (c: RecordedCall) => String((c.body as { text?: string }).text ?? '');
/** Every post about unapproved access (a DM or the compliance flag). */
const driftPosts = () => posts().filter((c) => textOf(c).includes('without a request'));
const day = (at: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: READER_TZ, day: 'numeric', month: 'short', year: 'numeric' }).format(at);
/** README's words, with the day the grant appeared (either end of the sync, should it straddle midnight). */
const headlines = (key: keyof typeof ADDED) => {
  const { who, resource } = ADDED[key];
  return [...new Set(seenBetween.map(day))].map((d) => `${name(who)} got ${resource} in okta on ${d} without a request`);
};

describe('journey: unapproved access, from an Okta change to the digest and the bundle', () => {
  it('a baseline sync with Slack and the compliance channel configured announces nothing', async () => {
    // Only the commands the operator runs: no scheduled sync, digest or checkpoint stands in for them.
    ({ slack } = await j.startFakes(
      { okta: { apiToken: OKTA_TOKEN, org }, slack: { users: slackUsers } },
      { COMPLIANCE_CHANNEL: COMPLIANCE, DIGEST_SCHEDULE: NEVER, CHECKPOINT_SCHEDULE: NEVER },
    ));

    expect((await j.attest('roles', 'grant', 'admin', email('carla'))).status, j.explain()).toBe(0);
    const [baseline] = await j.json<Record<string, unknown>[]>('sync');
    expect(baseline, j.explain()).toMatchObject({ source: 'okta', status: 'succeeded', accounts: 5 });

    // serve delivers whatever the baseline queued: nothing about unapproved access.
    await j.startServe();
    await new Promise((r) => setTimeout(r, 2000));
    expect(driftPosts().map(textOf), slackTranscript()).toEqual([]);
  }, 180_000);

  it('grants added in Okta reach the manager as one DM each within the next sync, with README’s words and the review buttons; none reaches the person', async () => {
    org.addMember(okResources.design.id, ids.leo);
    org.assignUserToApp(okResources.github.id, ids.sam);
    org.assignRole(ids.sam, 'APP_ADMIN');

    const before = new Date();
    const [report] = await j.pausingServe(() => j.json<Record<string, unknown>[]>('sync'));
    seenBetween = [before, new Date()];
    expect(report, j.explain()).toMatchObject({ source: 'okta', status: 'succeeded', added: 3 });

    for (const key of Object.keys(ADDED) as (keyof typeof ADDED)[]) {
      const expected = headlines(key);
      const dm = await j.expecting(
        `no DM "${expected[0]}" reached ${name('maya')} (${PEOPLE.maya.slack})\n${slackTranscript()}`,
        slack.waitFor('chat.postMessage', (c) => c.body.channel === PEOPLE.maya.slack && expected.includes(textOf(c)), 30_000),
      );
      const buttons = buttonsOf(dm.body.blocks);
      expect(buttons.map((b) => [b.text, b.actionId]), `buttons of "${textOf(dm)}"`).toEqual([
        ['Approve', ACTION.reviewApprove],
        ['Revoke', ACTION.reviewRevoke],
      ]);
      expect(buttons[0]!.value, 'Approve and Revoke name the same item').toBe(buttons[1]!.value);
      const { channel, ts } = dm.response as { channel: string; ts: string };
      dms.set(key, { channel, ts, itemId: buttons[0]!.value! });
    }
    expect(new Set([...dms.values()].map((d) => d.itemId)).size, 'one item per grant').toBe(3);

    // The privileged one is flagged to compliance, and only that one.
    const role = headlines('role');
    await j.expecting(
      `the privileged grant was not flagged to ${COMPLIANCE}\n${slackTranscript()}`,
      slack.waitFor('chat.postMessage', (c) => c.body.channel === COMPLIANCE && role.some((h) => textOf(c) === `Privileged access: ${h}`), 30_000),
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect(posts(COMPLIANCE).filter((c) => textOf(c).includes('without a request')), slackTranscript()).toHaveLength(1);
    // Exactly three DMs, all to Maya: nobody is asked about their own access, nobody twice.
    expect(
      driftPosts()
        .filter((c) => c.body.channel !== COMPLIANCE)
        .map((c) => c.body.channel),
      slackTranscript(),
    ).toEqual([PEOPLE.maya.slack, PEOPLE.maya.slack, PEOPLE.maya.slack]);
    expect(posts(PEOPLE.leo.slack).concat(posts(PEOPLE.sam.slack)).map(textOf), 'Leo or Sam was messaged').toEqual([]);
  }, 240_000);

  it('a sync with nothing changed announces nothing more', async () => {
    const postsBefore = driftPosts().length;
    const [report] = await j.pausingServe(() => j.json<Record<string, unknown>[]>('sync'));
    expect(report, j.explain()).toMatchObject({ status: 'succeeded', added: 0, removed: 0 });
    // On PGlite serve just restarted: give its outbox time to send anything that was queued.
    await new Promise((r) => setTimeout(r, 3000));
    expect(driftPosts().length, slackTranscript()).toBe(postsBefore);
  }, 180_000);

  it('refuses Leo deciding his own access and Sam deciding Leo’s, changing nothing; Maya’s Approve is recorded after the fact and edits her DM in place', async () => {
    const dm = dms.get('design')!;
    const click = async (who: Who, key: string) => {
      const res = await j.serve!.slack.action({
        userId: PEOPLE[who].slack,
        actionId: ACTION.reviewApprove,
        value: dm.itemId,
        channelId: dm.channel,
        messageTs: dm.ts,
        responseUrl: slack.responseUrl(key),
      });
      expect(res.status, `POST /slack/events answered ${res.status} ${res.text}\n${j.explain()}`).toBe(200);
      return key;
    };
    const answer = async (key: string) =>
      String(((await j.expecting(`no answer to the click "${key}"\n${slackTranscript()}`, slack.waitFor('response_url', (c) => c.key === key, 15_000))).body as { text?: string }).text);
    const updatesOfDm = () => slack.callsTo('chat.update').filter((c) => c.body.ts === dm.ts);

    expect(await answer(await click('leo', 'leo-own'))).toContain("You can't decide on your own access");
    expect(await answer(await click('sam', 'sam-bystander'))).toContain('Only the reviewer this item is assigned to');
    expect(updatesOfDm(), 'a refused click edited the DM').toEqual([]);

    await click('maya', 'maya-approve');
    const updated = await j.expecting(
      `Maya's DM was not edited to show her approval\n${slackTranscript()}`,
      slack.waitFor('chat.update', (c) => c.body.ts === dm.ts && JSON.stringify(c.body.blocks).includes(`Approved after the fact by ${name('maya')}`), 15_000),
    );
    expect(updated.body.channel).toBe(dm.channel);
    expect(buttonsOf(slack.state.findMessage(dm.channel, dm.ts)?.blocks), 'the decided DM still offers buttons').toEqual([]);
    // A second click is told who decided first.
    expect(await answer(await click('maya', 'maya-again'))).toMatch(/^You already approved this item on /);
  }, 120_000);

  it('`attest findings --json` with DRIFT_DECISION_DAYS=0 lists the two undecided grants, high for the privileged one, and not the approved one', async () => {
    const findings = await j.pausingServe(async () => {
      j.env.DRIFT_DECISION_DAYS = '0';
      try {
        return await j.json<{ findings: { type: string; severity: string; subject: string; detail: string; evidence: string[] }[] }>('findings');
      } finally {
        delete j.env.DRIFT_DECISION_DAYS;
      }
    });
    const unapproved = findings.findings.filter((f) => f.type === 'unapproved_access');
    const shape = unapproved.map((f) => ({ subject: f.subject, severity: f.severity, evidence: f.evidence })).sort((a, b) => a.severity.localeCompare(b.severity));
    expect(shape, JSON.stringify(findings.findings, null, 2)).toEqual([
      { subject: email('sam'), severity: 'high', evidence: [`item:${dms.get('role')!.itemId}`] },
      { subject: email('sam'), severity: 'medium', evidence: [`item:${dms.get('github')!.itemId}`] },
    ]);
    expect(unapproved.find((f) => f.severity === 'high')!.detail).toMatch(/^App administrator in okta appeared on \d{4}-\d\d-\d\d without a request and is still undecided after 0 days$/);
    // And with the default (7 days) nothing is overdue yet.
    const byDefault = await j.pausingServe(() => j.json<{ findings: { type: string }[] }>('findings'));
    expect(byDefault.findings.filter((f) => f.type === 'unapproved_access')).toEqual([]);
  }, 180_000);

  it('`attest digest --json` queues the control digest; serve posts it to the compliance channel with the figures it printed', async () => {
    type Digest = { seq: number; from: string; to: string; queued: boolean; previous: unknown; figures: { provisioning: { newGrants: number; approved: number; unapprovedOpen: number } } };
    const digest = await j.pausingServe(() => j.json<Digest>('digest'));
    expect(digest, j.explain()).toMatchObject({ seq: expect.any(Number), queued: true, previous: null });
    // Three grants new in the week (the baseline is not new), one approved after the fact, two open.
    expect(digest.figures.provisioning, j.explain()).toEqual({ newGrants: 3, approved: 1, unapprovedOpen: 2 });

    const posted = await j.expecting(
      `the digest was not posted to ${COMPLIANCE}\n${slackTranscript()}`,
      slack.waitFor('chat.postMessage', (c) => c.body.channel === COMPLIANCE && textOf(c).startsWith('Weekly control digest'), 30_000),
    );
    const text = messageText({ text: textOf(posted), blocks: posted.body.blocks as never });
    expect(text).toContain(`*Unapproved grants still undecided:* ${digest.figures.provisioning.unapprovedOpen}`);
    expect(text).toContain(`of ${digest.figures.provisioning.newGrants} new grants had an approval behind them`);
    expect(text).toContain(`this digest is evidence event #${digest.seq}`);
    await new Promise((r) => setTimeout(r, 1500));
    expect(posts(COMPLIANCE).filter((c) => textOf(c).startsWith('Weekly control digest')), 'posted once').toHaveLength(1);
    // Nothing else about unapproved access went out meanwhile (three DMs and one flag in all).
    expect(driftPosts(), slackTranscript()).toHaveLength(4);
  }, 180_000);

  it('the quarter’s bundle holds the after-the-fact approval and the refusals, and verifies', async () => {
    await j.stopServe();
    const now = new Date();
    const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
    const out = j.path('controls.zip');
    const exported = await j.json<{ file: string; files: string[] }>('export', '--quarter', quarter, '--out', out);
    expect(exported.files, j.explain()).toEqual(expect.arrayContaining(['decisions.csv', 'evidence.jsonl', 'manifest.json']));

    const zip = await readZip(out);
    const rows = csvRows(zip.get('decisions.csv') ?? '').filter((r) => r.campaign === 'Unapproved access');
    const shape = (r: Record<string, string>) => ({ item_id: r.item_id, person_email: r.person_email, resource: r.resource, decision: r.decision, reviewer_email: r.reviewer_email });
    expect(rows.map(shape).sort((a, b) => a.resource!.localeCompare(b.resource!)), `decisions.csv:\n${zip.get('decisions.csv')}`).toEqual([
      { item_id: dms.get('role')!.itemId, person_email: email('sam'), resource: 'App administrator', decision: 'pending', reviewer_email: email('maya') },
      { item_id: dms.get('design')!.itemId, person_email: email('leo'), resource: 'Design', decision: 'approved', reviewer_email: email('maya') },
      { item_id: dms.get('github')!.itemId, person_email: email('sam'), resource: 'GitHub', decision: 'pending', reviewer_email: email('maya') },
    ]);

    // decisions.csv has no column saying "after the fact"; the evidence segment's decision does.
    const events = (zip.get('evidence.jsonl') ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { action: string; subject: Record<string, unknown>; payload: Record<string, unknown> });
    const about = (action: string) => events.filter((e) => e.action === action && JSON.stringify(e.subject).includes(dms.get('design')!.itemId));
    expect(about('review.decided').map((e) => e.payload), 'review.decided in evidence.jsonl').toEqual([expect.objectContaining({ decision: 'approved', afterTheFact: true })]);
    expect(about('security.refused'), 'the two refused clicks in evidence.jsonl').toHaveLength(2);

    const bundle = await j.json<{ ok: boolean }>('verify', '--bundle', out);
    expect(bundle, j.explain()).toMatchObject({ ok: true });
  }, 120_000);
});
