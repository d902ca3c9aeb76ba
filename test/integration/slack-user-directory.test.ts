import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { WebClient } from '@slack/web-api';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { person } from '../../src/db/schema/index.js';
import { slackUserDirectory } from '../../src/slack/user-directory.js';
import { linkChatUsers } from '../../src/domain/people/link-chat-users.js';

let fake: FakeSlack;
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeSlack({
    // users.list pages are capped small here so that paging is exercised.
    maxPageSize: 2,
    users: [
      { id: 'U1', email: 'ann@acme.test', tz: 'Europe/Berlin' },
      { id: 'U2', email: 'bob@acme.test', tz: 'America/New_York' },
      { id: 'U3', email: 'gone@acme.test', deleted: true },
      { id: 'B1', email: null, is_bot: true },
      { id: 'U5', email: 'cy@acme.test', tz: 'Asia/Tokyo' },
    ],
  });
});
afterAll(async () => {
  await fake.close();
  await t.drop();
});

describe('mapping people to Slack users', () => {
  it('reads users.list page by page and links people by email, skipping bots and deleted users', async () => {
    await t.db.insert(person).values([{ email: 'Ann@acme.test' }, { email: 'bob@acme.test' }, { email: 'gone@acme.test' }, { email: 'cy@acme.test' }]);
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const report = await linkChatUsers(testDeps(t.db), slackUserDirectory(client));
    expect(report).toEqual({ matched: 3, refreshed: 0, unmatched: 0 });
    expect(fake.callsTo('users.list')).toHaveLength(3);
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(0);
    const [cy] = await t.db.select().from(person).where(eq(person.email, 'cy@acme.test'));
    expect(cy).toMatchObject({ slackUserId: 'U5', slackTz: 'Asia/Tokyo' });
    const [gone] = await t.db.select().from(person).where(eq(person.email, 'gone@acme.test'));
    expect(gone!.slackUserId).toBeNull();
  });
});
