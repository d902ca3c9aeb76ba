import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';
import { seededCli } from '../helpers/seeded-cli.js';

/** The real `attest` process against a seeded database (PGlite, or Postgres with TEST_DATABASE_URL). */
const { attest, json } = seededCli('attest-campaign');

describe('attest campaign', () => {
  it('creates, dry-runs, launches, reports and closes a campaign end to end', async () => {
    const created = await json('campaign', 'create', '--name', 'Q4 review', '--due', '2099-12-31', '--non-response', 'revoke');
    expect(created).toMatchObject({ name: 'Q4 review', status: 'draft', reviewerRule: 'manager', nonResponse: 'revoke', dueAt: '2099-12-31T23:59:59.999Z' });
    const id = created.id as string;

    const dry = await json('campaign', 'launch', id, '--dry-run');
    expect(dry).toMatchObject({ id, status: 'draft', dryRun: true, reviewers: 4, items: 11, systems: ['github', 'okta'] });
    expect(dry.fallbacks).toHaveLength(5);
    expect((dry.fallbacks as { reason: string }[]).map((f) => f.reason)).toContain('sam@acme.test has no Slack account');

    const human = await attest('campaign', 'launch', id, '--dry-run');
    expect(human.stdout).toMatch(/would create 11 items for 4 reviewers/);
    expect(human.stdout).toMatch(/jo@acme.test · GitHub \(github\) → comp@acme.test: sam@acme.test has no Slack account/);

    const launched = await json('campaign', 'launch', id);
    expect(launched).toMatchObject({ id, status: 'launched', dryRun: false, items: 11 });

    const again = await attest('campaign', 'launch', id, '--json');
    expect(again.status).toBe(EXIT_CODES.CONFLICT);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(again.stderr).toMatch(/already launched/);

    const status = await json('campaign', 'status', id);
    expect(Object.keys(status).slice(0, 9)).toEqual(['id', 'name', 'status', 'items', 'pending', 'approved', 'revoked', 'reviewers', 'fallbacks']);
    expect(status).toMatchObject({ id, name: 'Q4 review', status: 'launched', items: 11, pending: 11, approved: 0, revoked: 0, reviewers: 4 });

    const listed = (await json('campaign', 'list')) as unknown as { id: string; status: string; items: number }[];
    expect(listed).toEqual([expect.objectContaining({ id, status: 'launched', items: 11, pending: 11 })]);

    const closed = await json('campaign', 'close', id);
    expect(closed).toMatchObject({ id, status: 'closed', items: 11, revoked: 11, autoRevoked: 11, undecided: 0 });
    const twice = await attest('campaign', 'close', id);
    expect(twice.status).toBe(EXIT_CODES.CONFLICT);
  }, 120_000);

  it('rejects bad input with the INVALID_INPUT exit code and a readable line', async () => {
    const past = await attest('campaign', 'create', '--name', 'Old', '--due', '2001-01-01');
    expect(past.status).toBe(EXIT_CODES.INVALID_INPUT);
    expect(past.stderr).toMatch(/^attest: The due date .* is in the past/);
    const unknown = await attest('campaign', 'status', 'nope', '--json');
    expect(unknown.status).toBe(EXIT_CODES.NOT_FOUND);
  }, 60_000);

  it('documents every subcommand in --help', async () => {
    const help = await attest('campaign', '--help');
    for (const sub of ['create', 'launch', 'list', 'status', 'close']) expect(help.stdout).toContain(sub);
    const create = await attest('campaign', 'create', '--help');
    expect(create.stdout).toMatch(/--due <date>.*end of that day in TZ/s);
    expect(create.stdout).toMatch(/--reviewer <rule>.*choices: "manager", "owner"/s);
  }, 60_000);
});
