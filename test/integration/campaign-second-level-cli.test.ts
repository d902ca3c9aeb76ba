import { describe, expect, it } from 'vitest';
import { seededCli } from '../helpers/seeded-cli.js';

/** `attest campaign create --second-level owner`, through the real `attest` process. */
const { attest, json } = seededCli('attest-second-level');

describe('attest campaign create --second-level', () => {
  it('creates a second-level campaign, refuses an unknown rule, and reports the second level in status', async () => {
    const refused = await attest('campaign', 'create', '--name', 'Bad', '--due', '2099-12-31', '--second-level', 'manager');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/--second-level.*manager.*is invalid.*owner/s);
    expect(await json('campaign', 'list')).toEqual([]);

    const human = await attest('campaign', 'create', '--name', 'Said aloud', '--due', '2099-12-31', '--second-level', 'owner');
    expect(human.stdout).toContain('Approved privileged access goes to the resource owner for a second review.');
    const plain = await json('campaign', 'create', '--name', 'One level', '--due', '2099-12-31');
    expect(plain).toMatchObject({ name: 'One level', secondLevel: null });

    const created = await json('campaign', 'create', '--name', 'Two levels', '--due', '2099-12-31', '--second-level', 'owner');
    expect(created).toMatchObject({ name: 'Two levels', status: 'draft', secondLevel: 'owner' });
    const id = created.id as string;
    await json('campaign', 'launch', id);

    const status = await json('campaign', 'status', id);
    expect(status).toMatchObject({ secondLevel: { rule: 'owner', items: 0, pending: 0, approved: 0, revoked: 0 } });
    expect((await attest('campaign', 'status', id)).stdout).toContain('second review (resource owner): 0 items, 0 pending, 0 approved, 0 revoked');
    expect((await json('campaign', 'status', plain.id as string)).secondLevel).toBeNull();
  }, 120_000);
});
