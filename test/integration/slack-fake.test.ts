import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, LogLevel, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { slackUserDirectory } from '../../src/slack/user-directory.js';

/** The fake is checked through the real WebClient, so it speaks the wire format the app sees. */
let fake: FakeSlack;
let client: WebClient;
// The WebClient logs every refusal's details at error level; these tests expect refusals.
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

const users = Array.from({ length: 7 }, (_, i) => ({
  id: `U${String(i).padStart(3, '0')}`,
  name: `user${i}`,
  email: `User${i}@Example.com`,
  tz: 'Europe/Berlin',
}));

beforeAll(async () => {
  fake = await startFakeSlack({ users, maxPageSize: 3 });
  client = new WebClient('xoxb-fake', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: quiet });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setRateLimits(false);
  fake.setLatency(0);
});

async function refused(p: Promise<unknown>): Promise<string> {
  const err = (await p.then(() => undefined, (e: unknown) => e)) as WebAPIPlatformError | undefined;
  expect(err?.code).toBe(ErrorCode.PlatformError);
  return err!.data.error;
}

describe('fake Slack Web API', () => {
  it('records each call with its method, decoded body and token', async () => {
    await client.chat.postMessage({ channel: 'C1', text: 'hi', blocks: [{ type: 'divider' }] });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call).toMatchObject({ token: 'xoxb-fake', body: { channel: 'C1', text: 'hi', blocks: [{ type: 'divider' }] } });
    expect(call!.contentType).toBe('application/x-www-form-urlencoded');
  });

  it('posts a DM to a user id into a D channel, and keeps metadata for history with include_all_metadata', async () => {
    const sent = await client.chat.postMessage({
      channel: 'U001',
      text: 'review',
      metadata: { event_type: 'attest_outbox', event_payload: { outbox_id: 'o-1' } },
    });
    expect(sent.channel).toBe('D001');
    const opened = await client.conversations.open({ users: 'U001' });
    expect(opened.channel?.id).toBe('D001');
    const bare = await client.conversations.history({ channel: 'D001' });
    expect(bare.messages?.[0]?.metadata).toBeUndefined();
    const full = await client.conversations.history({ channel: 'D001', include_all_metadata: true });
    expect(full.messages?.[0]).toMatchObject({ ts: sent.ts, metadata: { event_payload: { outbox_id: 'o-1' } } });
  });

  it('updates a message by channel and ts, and says message_not_found otherwise', async () => {
    const sent = await client.chat.postMessage({ channel: 'C1', text: 'v1' });
    await client.chat.update({ channel: 'C1', ts: sent.ts!, text: 'v2' });
    expect(fake.state.findMessage('C1', sent.ts!)?.text).toBe('v2');
    expect(await refused(client.chat.update({ channel: 'C1', ts: '1.2', text: 'x' }))).toBe('message_not_found');
  });

  it('pages users.list with a cursor and fewer members than asked, like Slack', async () => {
    const res = await client.users.list({ limit: 200 });
    expect(res.members).toHaveLength(3);
    expect(res.response_metadata?.next_cursor).not.toBe('');
    const seen: string[] = [];
    for await (const page of slackUserDirectory(client).listUsers()) seen.push(...page.map((u) => u.id));
    expect(seen).toEqual(users.map((u) => u.id));
  });

  it('looks users up by email case-insensitively and by id', async () => {
    expect((await client.users.lookupByEmail({ email: 'user2@example.com' })).user?.id).toBe('U002');
    expect((await client.users.info({ user: 'U003' })).user?.tz).toBe('Europe/Berlin');
    expect(await refused(client.users.lookupByEmail({ email: 'nobody@example.com' }))).toBe('users_not_found');
  });

  it('refuses more than 50 blocks in a message and more than 100 in a Home tab with invalid_blocks', async () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' as const }));
    expect(await refused(client.chat.postMessage({ channel: 'C1', text: 't', blocks: blocks(51) }))).toBe('invalid_blocks');
    await client.chat.postMessage({ channel: 'C1', text: 't', blocks: blocks(50) });
    expect(await refused(client.views.publish({ user_id: 'U001', view: { type: 'home', blocks: blocks(101) } }))).toBe(
      'invalid_blocks',
    );
    await client.views.publish({ user_id: 'U001', view: { type: 'home', blocks: blocks(100) } });
    expect(fake.state.homeViews.get('U001')?.blocks).toHaveLength(100);
  });

  it('refuses a button whose text is over 75 characters', async () => {
    const blocks = [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x'.repeat(76) } }] }];
    expect(await refused(client.chat.postMessage({ channel: 'C1', text: 't', blocks: blocks as never }))).toBe('invalid_blocks');
  });

  it('answers injected errors for the given number of calls', async () => {
    fake.inject('chat.postMessage', { error: 'channel_not_found', times: 2 });
    expect(await refused(client.chat.postMessage({ channel: 'C1', text: 'a' }))).toBe('channel_not_found');
    expect(await refused(client.chat.postMessage({ channel: 'C1', text: 'b' }))).toBe('channel_not_found');
    expect((await client.chat.postMessage({ channel: 'C1', text: 'c' })).ok).toBe(true);
  });

  it('answers an injected rate limit with 429, Retry-After and ratelimited', async () => {
    fake.inject('users.list', { error: 'ratelimited', retryAfter: 7 });
    const err = (await client.users.list({}).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);
    expect(fake.callsTo('users.list')[0]).toMatchObject({ status: 429, response: { ok: false, error: 'ratelimited' } });
  });

  it('enforces one message per second per channel when rate limits are on', async () => {
    fake.setRateLimits(true);
    await client.chat.postMessage({ channel: 'C1', text: 'first' });
    await client.chat.postMessage({ channel: 'C2', text: 'other channel' });
    const err = (await client.chat.postMessage({ channel: 'C1', text: 'second' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(1);
  });

  it('refuses a missing or unknown token', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect(await refused(anonymous.auth.test())).toBe('not_authed');
    const strict = await startFakeSlack({ tokens: ['xoxb-good'] });
    try {
      const bad = new WebClient('xoxb-bad', { slackApiUrl: strict.apiUrl, retryConfig: { retries: 0 } });
      expect(await refused(bad.auth.test())).toBe('invalid_auth');
    } finally {
      await strict.close();
    }
  });

  it('uploads a file through the external upload flow into a channel', async () => {
    await client.files.uploadV2({ channel_id: 'C1', filename: 'evidence.zip', content: 'zip-bytes', title: 'Q4 evidence' });
    const [file] = [...fake.state.files.values()];
    expect(file).toMatchObject({ filename: 'evidence.zip', title: 'Q4 evidence' });
    expect(file!.content!.toString()).toBe('zip-bytes');
    expect(fake.state.messages.get('C1')?.at(-1)?.files).toEqual([{ id: file!.id, title: 'Q4 evidence' }]);
  });

  it('opens and updates a modal, refusing a title over 24 characters', async () => {
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Revoke access' }, blocks: [{ type: 'divider' as const }] };
    const opened = await client.views.open({ trigger_id: '1.2', view });
    await client.views.update({ view_id: opened.view!.id!, view: { ...view, title: { type: 'plain_text', text: 'Done' } } });
    const long = { ...view, title: { type: 'plain_text' as const, text: 'x'.repeat(25) } };
    expect(await refused(client.views.open({ trigger_id: '1.2', view: long }))).toBe('invalid_arguments');
  });

  it('adds latency when asked', async () => {
    fake.setLatency(150);
    const start = Date.now();
    await client.auth.test();
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });
});
