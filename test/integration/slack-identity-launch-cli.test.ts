import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { person } from '../../src/db/schema/index.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { seededCli } from '../helpers/seeded-cli.js';

/**
 * `attest campaign launch --dry-run` with Slack configured, on a directory synced but never
 * mapped to Slack: it links the reviewers Slack knows and names the one it does not.
 */
const cli = seededCli('attest-slack-launch', {
  seed: (db) => db.update(person).set({ slackUserId: null }).where(inArray(person.email, ['maria@acme.test', 'li@acme.test'])),
});
let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack({
    users: [
      { id: 'U0MARIA', email: 'maria@acme.test' },
      { id: 'U0LI', email: 'li@acme.test' },
    ],
  });
  Object.assign(cli.env, { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.apiUrl });
});
afterAll(async () => {
  await fake?.close();
});

const attest = cli.attest;

describe('attest campaign launch --dry-run with Slack', () => {
  it('links the reviewers found in Slack and names the one who is not', async () => {
    const created = await attest('campaign', 'create', '--name', 'Q4 review', '--due', '2099-12-31', '--json');
    expect(created.status).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: string };

    const dry = await attest('campaign', 'launch', id, '--dry-run', '--json');
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    const plan = JSON.parse(dry.stdout) as { dryRun: boolean; reviewers: number; fallbacks: { reason: string }[]; slack: unknown };
    expect(plan).toMatchObject({ id, dryRun: true, reviewers: 4, items: 11 });
    expect(plan.slack).toEqual({ linked: 4, notLinked: [{ email: 'sam@acme.test', reason: 'not found in Slack by email' }] });
    expect(plan.fallbacks.map((f) => f.reason).filter((r) => r.includes('Slack'))).toEqual(['sam@acme.test has no Slack account']);
    expect(fake.callsTo('users.lookupByEmail').map((c) => c.body.email).sort()).toEqual(['li@acme.test', 'maria@acme.test', 'sam@acme.test']);

    // Linked by the first dry run: the second one only looks up sam again.
    const human = await attest('campaign', 'launch', id, '--dry-run');
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/slack: 4 of 4 reviewers linked to a Slack user; 1 chosen without one\n\s+sam@acme.test: not found in Slack by email/);
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(4);
  }, 120_000);
});
