import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { evidenceEvent, person } from '../../src/db/schema/index.js';
import { seedAdmins } from '../../src/domain/people/seed-admins.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';
import type { TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { appHomeOpened } from '../helpers/slack-request.js';
import type { TestServer } from '../helpers/serve.js';
import { serverForFile } from '../helpers/server-for-file.js';
import { slashAttest } from '../helpers/slash-command.js';
import { seedPerson } from '../helpers/slack-seed.js';

/**
 * A Slack user nobody is linked to yet, the first time they talk to the bot: before any sync,
 * the admin seeded from ATTEST_ADMINS must be recognised on their very first `/attest help`.
 */
let t: TestDatabase;
let s: TestServer;
serverForFile((started) => ({ t, s } = started), {
  fake: {
    users: [
      // Slack has the address in another case than ATTEST_ADMINS.
      { id: 'U0ROOT', email: 'Root@Acme.test', tz: 'Europe/Berlin', real_name: 'Root Admin' },
      { id: 'U0NEWHIRE', email: 'new.name@acme.test', tz: 'Asia/Tokyo' },
      { id: 'U0STRANGER', email: 'stranger@elsewhere.test' },
      { id: 'U0GONE', email: 'gone@acme.test', deleted: true },
      { id: 'U0ROBOT', email: 'robot@acme.test', is_bot: true },
    ],
  },
});

beforeAll(async () => {
  await seedAdmins(testDeps(t.db), ['root@acme.test']);
  // Known under an alias: Slack has the new address, the directory the old one as an alias.
  const newHire = await seedPerson(t.db, { email: 'old.name@acme.test', name: 'Nia New' });
  await t.db.update(person).set({ aliases: ['new.name@acme.test'] }).where(eq(person.id, newHire));
  await seedPerson(t.db, { email: 'gone@acme.test', name: 'Gus Gone' });
  await seedPerson(t.db, { email: 'robot@acme.test', name: 'Robo' });
});

const attest = (userId: string, text: string) => slashAttest(s, userId, text);

function listed(body: { blocks: unknown[] }): string[] {
  const text = JSON.stringify(body.blocks);
  return ['help', 'request', 'status', 'campaign', 'export', 'onboard', 'offboard'].filter((c) => text.includes(`/attest ${c}`));
}

const links = async () => (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'person.slack_linked'))).map((e) => ({ subject: e.subject, payload: e.payload }));
const personByEmail = async (email: string) => (await t.db.select().from(person).where(eq(person.email, email)))[0]!;

describe('a Slack user the bot meets for the first time', () => {
  it('recognises the admin seeded from ATTEST_ADMINS on their first /attest help, with one users.info call', async () => {
    const body = await attest('U0ROOT', 'help');
    expect(listed(body)).toEqual(['help', 'request', 'status', 'campaign', 'export', 'onboard', 'offboard']);
    expect(s.fake.callsTo('users.info').map((c) => c.body.user)).toEqual(['U0ROOT']);

    const root = await personByEmail('root@acme.test');
    expect(root).toMatchObject({ slackUserId: 'U0ROOT', slackTz: 'Europe/Berlin' });
    expect(await links()).toEqual([{ subject: { person: root.id }, payload: { slackUserId: 'U0ROOT', via: 'users.info' } }]);
    expect((await verifyChain(t.db)).ok).toBe(true);
  });

  it('asks Slack nothing on the next command of a linked user', async () => {
    expect(listed(await attest('U0ROOT', 'help'))).toContain('campaign');
    expect(s.fake.callsTo('users.info')).toHaveLength(0);
    expect(await links()).toHaveLength(1);
  });

  it("answers a stranger as today and doesn't ask Slack about them again for a while", async () => {
    expect(listed(await attest('U0STRANGER', 'help'))).toEqual(['help', 'request']);
    expect(s.fake.callsTo('users.info')).toHaveLength(1);
    expect(listed(await attest('U0STRANGER', 'help'))).toEqual(['help', 'request']);
    expect(s.fake.callsTo('users.info')).toHaveLength(1);
  });

  it('never links a deleted Slack user or a bot, even when their email matches a person', async () => {
    expect(listed(await attest('U0GONE', 'help'))).toEqual(['help', 'request']);
    expect(listed(await attest('U0ROBOT', 'help'))).toEqual(['help', 'request']);
    expect((await personByEmail('gone@acme.test')).slackUserId).toBeNull();
    expect((await personByEmail('robot@acme.test')).slackUserId).toBeNull();
    expect(await links()).toHaveLength(1);
  });

  it('still answers when Slack cannot tell who the user is', async () => {
    s.fake.inject('users.info', { error: 'internal_error', status: 500 });
    expect(listed(await attest('U0NOBODY', 'help'))).toEqual(['help', 'request']);
  });

  // Last: publishing a Home tab is slow under load, and the request helper's keep-alive socket
  // can be closed by the server while it waits (a reset on the next request, not a finding).
  it('links by alias when someone first opens the App Home', async () => {
    const res = await s.slack.event(appHomeOpened('U0NEWHIRE'));
    expect(res.status).toBe(200);
    const published = await s.fake.waitFor('views.publish', (c) => c.body.user_id === 'U0NEWHIRE');
    expect(JSON.stringify(published.body.view)).toContain('Nia');
    expect(s.fake.callsTo('users.info').map((c) => c.body.user)).toEqual(['U0NEWHIRE']);
    expect(await personByEmail('old.name@acme.test')).toMatchObject({ slackUserId: 'U0NEWHIRE', slackTz: 'Asia/Tokyo' });
  });
});
