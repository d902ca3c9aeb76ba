import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND } from '../../src/slack/ids.js';
import { SUBCOMMANDS } from '../../src/slack/listeners/commands/subcommands.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../fakes/slack-server.js';
import { Journey } from '../helpers/journey.js';
import { describeCalls } from '../helpers/journey-tools.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/serve.js';
import { APP_ID, TEAM_ID } from '../helpers/slack-request.js';

/**
 * Journey 3, the first minutes of an install: `attest serve` on an empty database with
 * ATTEST_ADMINS naming one email, no sync at all, and the admin typing `/attest help` in Slack.
 * Their Slack user is known only to Slack (same email): the app must recognise them on first
 * contact, and help must list what an admin may do (every role: admin, HR and compliance
 * commands). Run over HTTP (signed POST /slack/events) and over Socket Mode (the command
 * arrives on the fake's WebSocket and its ack goes back the same way).
 */
const ADMIN = { id: 'U0ADMIN', email: 'ada@acme.test', name: 'Ada Admin' };
const APP_TOKEN = 'xapp-1-A0FAKEAPP-1-journey';
/** The commands that only HR and compliance may run; an admin holds every role. */
const ROLE_COMMANDS = SUBCOMMANDS.filter((s) => s.audience === 'hr' || s.audience === 'compliance' || s.audience === 'admin');

function slashPayload(userId: string, text: string, responseUrl: string): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'fake',
    channel_id: 'D0ADMIN',
    channel_name: 'directmessage',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: COMMAND,
    text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `${Date.now()}.1234.abcd`,
  };
}

describe.each(['http', 'socket'] as const)('journey: the first admin asks for help (%s mode)', (mode) => {
  const j = new Journey(`first-admin-${mode}`).register();
  let slack: FakeSlack;

  afterAll(async () => {
    await j.stopServe();
    await slack?.close();
  });

  const slackTranscript = () => `Slack calls so far:\n${describeCalls(slack.calls) || '(none)'}`;

  it('answers /attest help with the admin, HR and compliance commands, recognising the admin on first contact', async () => {
    slack = await startFakeSlack({
      users: [
        { id: ADMIN.id, name: 'ada', real_name: ADMIN.name, email: ADMIN.email, tz: 'Europe/Paris' },
        { id: 'U0OTHER', name: 'otto', real_name: 'Otto Other', email: 'otto@acme.test', tz: 'Europe/Paris' },
      ],
    });
    Object.assign(j.env, {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ATTEST_ADMINS: ADMIN.email,
    });
    // Socket Mode: the app-level token and no signing secret (an empty value is unset).
    j.serveEnv = mode === 'socket' ? { LOG_LEVEL: 'info', SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' } : { LOG_LEVEL: 'info' };

    // No `attest` command first: serve applies the migrations and seeds the admin itself.
    const serve = await j.startServe();
    const responseUrl = slack.responseUrl('help');
    const sentAt = Date.now();
    if (mode === 'http') {
      const res = await serve.slack.command({ user_id: ADMIN.id, text: 'help', response_url: responseUrl, channel_id: 'D0ADMIN' });
      expect(res.status, `POST /slack/events answered ${res.status} ${res.text}\n${j.explain()}`).toBe(200);
    } else {
      await j.expecting(
        `serve did not open a Socket Mode connection at the fake (apps.connections.open through SLACK_API_URL with SLACK_APP_TOKEN)\n${slackTranscript()}`,
        slack.socket.waitForConnection(30_000),
      );
      const open = slack.callsTo('apps.connections.open');
      expect(open.map((c) => [c.token, (c.response as { ok: boolean }).ok]), slackTranscript()).toContainEqual([APP_TOKEN, true]);
      const ack = await j.expecting('serve did not ack the slash command over the socket', slack.socket.push('slash_commands', slashPayload(ADMIN.id, 'help', responseUrl), { timeoutMs: 10_000 }));
      j.note(`slash command → socket ack: ${ack.elapsedMs} ms`);
      expect(ack.elapsedMs, 'Slack wants the ack within 3 seconds').toBeLessThan(3000);
      expect(slack.socket.frames, 'nothing but acks came back on the socket').toEqual([]);
    }

    const answer = await j.expecting(
      `no answer to /attest help reached the command's response_url\n${slackTranscript()}`,
      slack.waitFor('response_url', (c: RecordedCall) => c.key === 'help', 30_000),
    );
    j.note(`/attest help → answer: ${answer.at - sentAt} ms`);
    const body = answer.body as { text?: string; blocks?: unknown[]; response_type?: string };
    const shown = `${body.text ?? ''}\n${JSON.stringify(body.blocks ?? [])}`;
    const why = `the admin (${ADMIN.email} = Slack ${ADMIN.id}, seeded from ATTEST_ADMINS) is not recognised on first contact: help said\n${body.text}\n${JSON.stringify(body.blocks)}\n${slackTranscript()}\n${j.explain()}`;
    expect(shown, why).not.toContain('not in it yet');
    for (const s of ROLE_COMMANDS) expect(shown, `help does not list ${COMMAND} ${s.name} (${s.audience})\n${why}`).toContain(`${COMMAND} ${s.name}`);
    // An admin holds every role: every command is theirs.
    for (const s of SUBCOMMANDS) expect(shown, `help does not list ${COMMAND} ${s.name}\n${why}`).toContain(`${COMMAND} ${s.name}`);
    expect(body.response_type).toBe('ephemeral');
  }, 180_000);

  // Slack recycles Socket Mode connections routinely (a `disconnect` message, then a new URL).
  it.runIf(mode === 'socket')('reconnects when Slack asks it to, and keeps answering commands', async () => {
    const opened = slack.socket.opened;
    const live = slack.socket.connections.length;
    slack.socket.disconnect('refresh_requested');
    await j.until(
      `serve did not reconnect after Slack's "disconnect" (refresh_requested) message\n${slackTranscript()}`,
      () => slack.socket.opened > opened && slack.socket.connections.length >= live,
      30_000,
    );
    const ack = await j.expecting(
      'serve did not ack a slash command on its new connection',
      slack.socket.push('slash_commands', slashPayload(ADMIN.id, 'help', slack.responseUrl('help-again')), { timeoutMs: 10_000 }),
    );
    expect(ack.elapsedMs, 'Slack wants the ack within 3 seconds').toBeLessThan(3000);
    await j.expecting(
      `no answer to the second /attest help\n${slackTranscript()}`,
      slack.waitFor('response_url', (c: RecordedCall) => c.key === 'help-again', 30_000),
    );
  }, 90_000);
});
