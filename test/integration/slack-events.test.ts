import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { evidenceEvent } from '../../src/db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';
import { seedPerson } from '../helpers/slack-seed.js';

let t: TestDatabase;
let s: TestServer;

beforeAll(async () => {
  t = await createTestDatabase();
  s = await startTestServer(t);
  await seedPerson(t.db, { email: 'emma@example.com', name: 'Emma Employee', slackUserId: 'U0EMMA' });
});
afterAll(async () => {
  await s?.close();
  await t?.drop();
});
beforeEach(() => s.fake.reset());

async function evidenceCount(): Promise<number> {
  const [row] = await t.db.select({ n: count() }).from(evidenceEvent);
  return Number(row!.n);
}

/** `/attest export` from an employee writes a refusal to the evidence log when Slack really sent it. */
function exportAttempt() {
  return { user_id: 'U0EMMA', text: 'export', response_url: s.fake.responseUrl('export') };
}

describe('POST /slack/events: request verification', () => {
  it('refuses a forged signature with 401 and changes nothing', async () => {
    const before = await evidenceCount();
    const res = await s.slack.command(exportAttempt(), { signature: `v0=${'0'.repeat(64)}` });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(await evidenceCount()).toBe(before);
    expect(s.fake.calls).toEqual([]);
  });

  it('refuses a request signed with another secret with 401', async () => {
    const res = await s.slack.command(exportAttempt(), { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    expect(s.fake.calls).toEqual([]);
  });

  it('refuses a correctly signed request older than five minutes with 401 and changes nothing', async () => {
    const before = await evidenceCount();
    const res = await s.slack.command(exportAttempt(), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(await evidenceCount()).toBe(before);
    expect(s.fake.calls).toEqual([]);
  });

  it('acts on the same request when it is signed and fresh (the control for the two above)', async () => {
    const before = await evidenceCount();
    const res = await s.slack.command(exportAttempt());
    expect(res.status).toBe(200);
    const reply = await s.fake.waitFor('response_url');
    expect(JSON.stringify(reply.body)).toContain('compliance role');
    expect(await evidenceCount()).toBe(before + 1);
  });

  it('answers url_verification with the challenge', async () => {
    const res = await s.slack.urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('accepts a Slack retry of an event (X-Slack-Retry-Num) without failing', async () => {
    const res = await s.slack.event(
      { type: 'app_home_opened', user: 'U0EMMA', channel: 'D0EMMA', tab: 'messages', event_ts: '1.1' },
      { retryNum: 1, retryReason: 'http_timeout' },
    );
    expect(res.status).toBe(200);
  });

  it('answers 405 to a GET on /slack/events', async () => {
    const res = await fetch(`${s.url}/slack/events`);
    expect(res.status).toBe(405);
  });
});
