import { beforeAll, describe, expect, it } from 'vitest';
import { desc } from 'drizzle-orm';
import { evidenceEvent } from '../../src/db/schema/index.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TestServer } from '../helpers/serve.js';
import { serverForFile } from '../helpers/server-for-file.js';
import { slashAttest } from '../helpers/slash-command.js';
import { seedCampaign, seedPerson, seedReviewItems } from '../helpers/slack-seed.js';

let t: TestDatabase;
let s: TestServer;
serverForFile((started) => ({ t, s } = started));

beforeAll(async () => {
  const admin = await seedPerson(t.db, { email: 'ada@example.com', name: 'Ada Admin', slackUserId: 'U0ADA', roles: ['admin'] });
  await seedPerson(t.db, { email: 'hal@example.com', name: 'Hal HR', slackUserId: 'U0HAL', roles: ['hr'] });
  const emma = await seedPerson(t.db, { email: 'emma@example.com', name: 'Emma Employee', slackUserId: 'U0EMMA' });
  const c = await seedCampaign(t.db, { name: 'Q4 review', ownerId: admin, dueAt: new Date('2026-12-31T23:59:59Z') });
  await seedReviewItems(t.db, c, emma, 3);
});

/** Sends `/attest <text>` as `userId` and returns what the command answered through response_url. */
const attest = (userId: string, text: string) => slashAttest(s, userId, text, { emptyAck: true });

function listed(body: { blocks: unknown[] }): string[] {
  const text = JSON.stringify(body.blocks);
  return ['help', 'request', 'status', 'campaign', 'export', 'onboard', 'offboard'].filter((c) =>
    text.includes(`/attest ${c}`),
  );
}

describe('/attest', () => {
  it('lists every command for an admin, ephemerally', async () => {
    const body = await attest('U0ADA', 'help');
    expect(body.response_type).toBe('ephemeral');
    expect(listed(body)).toEqual(['help', 'request', 'status', 'campaign', 'export', 'onboard', 'offboard']);
    expect(body.text).toContain('/attest commands');
  });

  it('lists only the employee commands for a plain employee', async () => {
    const body = await attest('U0EMMA', 'help');
    expect(body.response_type).toBe('ephemeral');
    expect(listed(body)).toEqual(['help', 'request', 'status']);
  });

  it("lists HR's commands for HR but not compliance's", async () => {
    expect(listed(await attest('U0HAL', ''))).toEqual(['help', 'request', 'status', 'onboard', 'offboard']);
  });

  it('gives a Slack user the directory does not know help and request only', async () => {
    expect(listed(await attest('U0STRANGER', 'help'))).toEqual(['help', 'request']);
  });

  it('answers an unknown subcommand with help and a line saying it is unknown', async () => {
    const body = await attest('U0EMMA', 'frobnicate <!channel>');
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain(`I don't know "/attest frobnicate"`);
    expect(listed(body)).toEqual(['help', 'request', 'status']);
  });

  it('refuses a command reserved to a role, says which role, and records the refusal', async () => {
    const body = await attest('U0EMMA', 'offboard <@U0ADA>');
    expect(body.text).toContain('only for people with the hr role');
    const [last] = await t.db.select().from(evidenceEvent).orderBy(desc(evidenceEvent.seq)).limit(1);
    expect(last).toMatchObject({ action: 'security.refused', payload: { attempted: '/attest offboard' } });
  });

  it('shows the caller what is waiting for them with /attest status', async () => {
    const body = await attest('U0EMMA', 'status');
    expect(body.text).toContain('3 review items');
    expect(JSON.stringify(body.blocks)).toContain('Q4 review');
  });

  it('escapes what the user typed when echoing it back', async () => {
    const body = await attest('U0EMMA', '<!channel>');
    expect(JSON.stringify(body.blocks)).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(body.blocks)).not.toContain('<!channel>');
  });
});
