import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/ids.js';
import { awsCsv, buildOktaOrg, PEOPLE } from '../factories/offboarding-org.js';
import type { FakeOkta } from '../fakes/okta/index.js';
import type { FakeSlack, RecordedCall } from '../fakes/slack-server.js';
import { Journey } from '../helpers/journey.js';
import { buttonsOf, csvRows, describeCalls, postHrEvent, readZip } from '../helpers/journey-tools.js';

/**
 * Journey 2, README's leaver path as real processes: Okta plus a directory file (AWS, whose
 * removals Attest cannot automate), REVOKE_MODE=auto, the HR webhook. `attest sync`, then
 * `attest serve` takes a signed `employee.terminated` effective now: the Okta user is
 * deactivated at once (measured), the AWS role's owner gets a task DM with `Mark done` and
 * clicks it, removes the access in AWS (the file), `attest sync` proves every removal and the
 * case closes: HR's case message is updated to verified and the evidence export says so.
 */
const OKTA_TOKEN = 'ssws-journey-offboarding';
const HR_SECRET = 'journey-hr-secret';
/** README: automated removals run at the effective time; "now" must not wait for a poll. */
const DEACTIVATION_BOUND_MS = 10_000;

const SLACK = { maya: 'U0MAYA', leo: 'U0LEO', omar: 'U0OMAR', hana: 'U0HANA', ivan: 'U0IVAN' } as const;
/** The task's description names the resource ("Remove … from PowerUserAccess in aws"). */
const ROLE_TASK = 'PowerUserAccess';

const j = new Journey('offboarding').register();
let okta: FakeOkta;
let slack: FakeSlack;
let org: ReturnType<typeof buildOktaOrg>;
let csvPath = '';
let caseId = '';
let caseMessage: { channel: string; ts: string };

const slackTranscript = () => `Slack calls so far:\n${describeCalls(slack.calls) || '(none)'}`;
const leoStatus = () => org.org.users.get(org.users.leo.id)!.status;

describe('journey: a leaver from the HR webhook to a closed, verified case', () => {
  it('syncs Okta and the directory file with Slack configured', async () => {
    org = buildOktaOrg();
    csvPath = j.path('aws.csv');
    writeFileSync(csvPath, awsCsv(true));
    const slackUsers = (Object.keys(SLACK) as (keyof typeof SLACK)[]).map((who) => ({
      id: SLACK[who],
      name: who,
      real_name: `${who[0]!.toUpperCase()}${who.slice(1)} Acme`,
      email: PEOPLE[who],
      tz: 'Europe/Berlin',
    }));
    ({ okta, slack } = await j.startFakes(
      { okta: { apiToken: OKTA_TOKEN, org: org.org }, slack: { users: slackUsers } },
      { DIRECTORY_FILE: csvPath, REVOKE_MODE: 'auto', HR_WEBHOOK_SECRET: HR_SECRET },
    ));
    j.serveEnv = { LOG_LEVEL: 'info' };

    expect((await j.attest('roles', 'grant', 'hr', PEOPLE.hana)).status, j.explain()).toBe(0);
    expect((await j.attest('roles', 'grant', 'it', PEOPLE.ivan)).status, j.explain()).toBe(0);
    const reports = await j.json<{ source: string; status: string }[]>('sync');
    expect(reports.map((r) => [r.source, r.status]), j.explain()).toEqual([
      ['okta', 'succeeded'],
      ['file', 'succeeded'],
    ]);
  }, 180_000);

  it('accepts a signed employee.terminated effective now, and Okta deactivates the user within 10 s', async () => {
    const serve = await j.startServe();
    const now = new Date();
    const posted = Date.now();
    const res = await postHrEvent(serve.url, HR_SECRET, {
      id: `hr-evt-${posted}`,
      type: 'employee.terminated',
      occurred_at: now.toISOString(),
      employee: { email: PEOPLE.leo, name: 'Leo Acme', manager_email: PEOPLE.maya, department: 'Engineering', title: 'Engineer', effective_at: now.toISOString() },
    });
    const answered = Date.now();
    expect(res, `POST /hooks/hr\n${j.explain()}`).toMatchObject({ status: 202, body: { case_id: expect.any(String) } });
    caseId = (res.body as { case_id: string }).case_id;

    // Waits past the bound (the minute poll would still get there) so the rest of the journey runs.
    const deactivated = await j.until('the fake Okta never showed Leo DEPROVISIONED', () => leoStatus() === 'DEPROVISIONED' && Date.now(), 75_000);
    const tookMs = deactivated - posted;
    j.note(`effective-now termination → Okta deactivation: ${tookMs} ms (webhook answered 202 after ${answered - posted} ms)`);
    expect
      .soft(tookMs, `Leo was deactivated in Okta ${tookMs} ms after the webhook; an automated task due now must start at once (≤ ${DEACTIVATION_BOUND_MS} ms), not wait for the minute poll\n${j.explain()}`)
      .toBeLessThanOrEqual(DEACTIVATION_BOUND_MS);
    expect(okta.count(new RegExp(`^/api/v1/users/${org.users.leo.id}/lifecycle/deactivate$`)), 'one deactivation call').toBe(1);
    // Nobody else was touched.
    expect([...org.org.users.values()].filter((u) => u.status !== 'ACTIVE').map((u) => u.profile.email)).toEqual([PEOPLE.leo]);
  }, 180_000);

  it('tells HR about the case in one message, and gives the AWS role’s owner a task DM with Mark done', async () => {
    const hr = await j.expecting(
      `HR (Hana, ${SLACK.hana}) got no case message; people must be linked to Slack users by \`attest sync\`\n${slackTranscript()}`,
      slack.waitFor('chat.postMessage', (c) => c.body.channel === SLACK.hana && String(c.body.text ?? '').includes('Offboarding: Leo Acme'), 30_000),
    );
    caseMessage = hr.response as { channel: string; ts: string };

    const task = await j.expecting(
      `the owner of PowerUserAccess (Omar, ${SLACK.omar}) got no task DM with Mark done\n${slackTranscript()}`,
      slack.waitFor('chat.postMessage', (c) => c.body.channel === SLACK.omar && JSON.stringify(c.body.blocks).includes(ROLE_TASK) && markDone(c) !== undefined, 30_000),
    );
    expect((task.response as { ok: boolean }).ok, slackTranscript()).toBe(true);
  }, 90_000);

  it('takes the owner’s signed Mark done click and refreshes the task DM', async () => {
    const serve = j.serve!;
    const task = slack.callsTo('chat.postMessage').find((c) => c.body.channel === SLACK.omar && JSON.stringify(c.body.blocks).includes(ROLE_TASK))!;
    const { channel, ts } = task.response as { channel: string; ts: string };
    const clickedAt = Date.now();
    const res = await serve.slack.action({
      userId: SLACK.omar,
      actionId: ACTION.taskDone,
      value: markDone(task)!,
      channelId: channel,
      messageTs: ts,
      responseUrl: slack.responseUrl('mark-done'),
    });
    expect(res.status, `POST /slack/events answered ${res.status} ${res.text}\n${j.explain()}`).toBe(200);
    const updated = await j.expecting(
      `Omar's task DM was not updated to done\n${slackTranscript()}`,
      slack.waitFor('chat.update', (c) => c.body.ts === ts && JSON.stringify(c.body.blocks).includes('*Done*'), 15_000),
    );
    j.note(`Mark done click → task DM refresh: ${updated.at - clickedAt} ms`);
    expect(buttonsOf(updated.body.blocks).map((b) => b.text), 'the done task offers no button any more').not.toContain('Mark done');
  }, 60_000);

  it('closes the case once `attest sync` sees the access gone: HR’s case message shows it verified', async () => {
    // Omar removes Leo from AWS; the directory file the operator syncs no longer lists him.
    writeFileSync(csvPath, awsCsv(false));
    const reports = await j.pausingServe(() => j.json<{ source: string; status: string }[]>('sync'));
    expect(reports.map((r) => [r.source, r.status]), j.explain()).toEqual([
      ['okta', 'succeeded'],
      ['file', 'succeeded'],
    ]);
    const closed = await j.expecting(
      `HR's case message was not updated to show the case verified (closed)\n${slackTranscript()}`,
      slack.waitFor('chat.update', (c) => c.body.ts === caseMessage.ts && JSON.stringify(c.body.blocks).includes('*Status:* verified'), 30_000),
    );
    expect(JSON.stringify(closed.body.blocks)).toContain('Leo Acme');
  }, 180_000);

  it('exports the termination as verified and the bundle verifies', async () => {
    await j.stopServe();
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const out = j.path('leavers.zip');
    const exported = await j.json<{ files: string[] }>('export', '--from', day(-1), '--to', day(0), '--out', out);
    expect(exported.files, j.explain()).toContain('terminations.csv');
    const zip = await readZip(out);
    const rows = csvRows(zip.get('terminations.csv') ?? '').filter((r) => r.case_id === caseId);
    expect(rows.length, `terminations.csv has no rows for case ${caseId}:\n${zip.get('terminations.csv')}`).toBeGreaterThan(0);
    expect(rows.every((r) => r.email === PEOPLE.leo && r.case_status === 'verified' && r.verified_at !== ''), `terminations.csv:\n${zip.get('terminations.csv')}`).toBe(true);
    expect(await j.json('verify', '--bundle', out), j.explain()).toMatchObject({ ok: true });
  }, 90_000);
});

function markDone(c: RecordedCall): string | undefined {
  return buttonsOf(c.body.blocks).find((b) => b.text === 'Mark done' && b.actionId === ACTION.taskDone)?.value;
}
