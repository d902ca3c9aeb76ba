import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, LogLevel, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import WebSocket from 'ws';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

/**
 * The fake's Socket Mode, checked through the real @slack/socket-mode client (what Bolt's
 * SocketModeReceiver runs): apps.connections.open with the app-level token, the hello, envelopes
 * and their acks, pings, and reconnecting when Slack asks.
 */
const APP_TOKEN = 'xapp-1-A0FAKEAPP-1-secret';
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

let fake: FakeSlack;
const clients: SocketModeClient[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.disconnect()));
});
afterAll(() => fake.close());

function client(opts: { clientPingTimeout?: number } = {}) {
  const c = new SocketModeClient({
    appToken: APP_TOKEN,
    logger: quiet,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    ...opts,
  });
  clients.push(c);
  return c;
}

describe('fake Slack Socket Mode', () => {
  it('opens a connection with the app-level token and greets it with hello', async () => {
    const before = fake.socket.opened;
    const c = client();
    const connected = await c.start();
    expect(connected).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=A0FAKEAPP$/) });
    const [open] = fake.callsTo('apps.connections.open').slice(-1);
    expect(open).toMatchObject({ token: APP_TOKEN, status: 200 });
    expect(fake.socket.opened).toBe(before + 1);
    expect(fake.socket.connections).toHaveLength(1);
  });

  it('refuses the bot token for apps.connections.open and the app token for everything else', async () => {
    const refusal = async (p: Promise<unknown>) => {
      const err = (await p.then(() => undefined, (e: unknown) => e)) as WebAPIPlatformError | undefined;
      expect(err?.code).toBe(ErrorCode.PlatformError);
      return err!.data.error;
    };
    const bot = new WebClient('xoxb-bot', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
    expect(await refusal(bot.apps.connections.open({}))).toBe('not_allowed_token_type');
    const app = new WebClient(APP_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
    expect(await refusal(app.chat.postMessage({ channel: 'C1', text: 'hi' }))).toBe('not_allowed_token_type');
  });

  it('delivers slash commands, interactions and events, and returns each ack with its payload', async () => {
    const c = client();
    const seen: { type: string; body: unknown; retry?: unknown }[] = [];
    c.on('slash_commands', async ({ ack, body }: { ack: (r?: object) => Promise<void>; body: Record<string, unknown> }) => {
      seen.push({ type: 'slash_commands', body });
      await ack({ text: `you said ${String(body.text)}` });
    });
    c.on('interactive', async ({ ack, body }: { ack: () => Promise<void>; body: Record<string, unknown> }) => {
      seen.push({ type: 'interactive', body });
      await ack();
    });
    c.on('app_home_opened', async ({ ack, body, retry_num }: { ack: () => Promise<void>; body: Record<string, unknown>; retry_num: number }) => {
      seen.push({ type: 'events_api', body, retry: retry_num });
      await ack();
    });
    await c.start();

    const slash = await fake.socket.push('slash_commands', { command: '/attest', text: 'help', user_id: 'U1', response_url: fake.responseUrl('k') });
    expect(slash).toMatchObject({ payload: { text: 'you said help' } });
    expect(slash.envelope_id).toMatch(/^[\w-]{36}$/);
    expect(slash.elapsedMs).toBeGreaterThanOrEqual(0);

    const click = await fake.socket.push('interactive', { type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'a', value: 'v' }] });
    expect(click.payload).toEqual({});

    const event = await fake.socket.push(
      'events_api',
      { type: 'event_callback', team_id: 'T0FAKE', event: { type: 'app_home_opened', user: 'U1', tab: 'home' }, event_id: 'Ev1' },
      { retryAttempt: 1, retryReason: 'timeout' },
    );
    expect(event.payload).toEqual({});
    expect(seen.map((s) => s.type)).toEqual(['slash_commands', 'interactive', 'events_api']);
    expect(seen[0]!.body).toMatchObject({ command: '/attest', text: 'help' });
    expect(seen[2]!.retry).toBe(1);
  });

  it('rejects a push that nobody acks in time', async () => {
    const c = client();
    c.on('slash_commands', () => {
      /* never acks */
    });
    await c.start();
    await expect(fake.socket.push('slash_commands', { command: '/attest' }, { timeoutMs: 300 })).rejects.toThrow(/no ack for slash_commands envelope/);
  });

  it('answers the client’s pings, so a connection with a short pong timeout stays up', async () => {
    const c = client({ clientPingTimeout: 300 });
    let closed = 0;
    c.on('close', () => (closed += 1));
    await c.start();
    const opened = fake.socket.opened;
    await new Promise((r) => setTimeout(r, 1500));
    expect(closed).toBe(0);
    expect(fake.socket.opened).toBe(opened);
    expect(fake.socket.connections).toHaveLength(1);
  });

  it('asks the client to reconnect with a disconnect message; it comes back through apps.connections.open', async () => {
    const c = client({ clientPingTimeout: 200 });
    await c.start();
    const opened = fake.socket.opened;
    const reconnected = new Promise<void>((resolve) => c.once('connected', () => resolve()));
    fake.socket.disconnect('refresh_requested');
    await reconnected;
    expect(fake.socket.opened).toBe(opened + 1);
    await fake.socket.waitForConnection();
    c.on('slash_commands', async ({ ack }: { ack: () => Promise<void> }) => ack());
    expect((await fake.socket.push('slash_commands', { command: '/attest' })).payload).toEqual({});
  });

  it('refuses a WebSocket without a valid ticket, and a ticket used twice', async () => {
    const refused = (url: string) =>
      new Promise<number | string>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('error', (err) => resolve(err.message));
      });
    const base = fake.url.replace(/^http/, 'ws');
    expect(await refused(`${base}/link/?ticket=bogus`)).toBe(401);

    const app = new WebClient(APP_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
    const { url } = (await app.apps.connections.open({})) as { url: string };
    expect(await refused(url)).toBe('open');
    expect(await refused(url)).toBe(401);
  });
});
