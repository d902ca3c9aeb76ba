import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { WebClient } from '@slack/web-api';
import { systemClock } from '../../src/clock.js';
import { evidenceEvent, person } from '../../src/db/schema/index.js';
import { seedAdmins } from '../../src/domain/people/seed-admins.js';
import { startBackgroundWork } from '../../src/jobs/background.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/** `serve` maps people to Slack users at start, without waiting for the first scheduled sync. */
let t: TestDatabase;
let fake: FakeSlack;

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeSlack({ users: [{ id: 'U0ROOT', email: 'root@acme.test', tz: 'Europe/Oslo' }] });
});
afterAll(async () => {
  await fake.close();
  await t.drop();
});

describe('serve at start', () => {
  it('links the people it can through users.list in the background', async () => {
    const deps = { ...testDeps(t.db), clock: systemClock };
    await seedAdmins(deps, ['root@acme.test']);
    const app = new WebClient('xoxb-app', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const work = startBackgroundWork(deps, { slack: app, renderers: {} });
    try {
      await fake.waitFor('users.list');
    } finally {
      await work.stop();
    }
    const [root] = await t.db.select().from(person).where(eq(person.email, 'root@acme.test'));
    expect(root).toMatchObject({ slackUserId: 'U0ROOT', slackTz: 'Europe/Oslo' });
    const [event] = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'person.slack_linked'));
    expect(event).toMatchObject({ actor: 'job:serve-start', subject: { person: root!.id }, payload: { slackUserId: 'U0ROOT', via: 'users.list' } });
  });
});
