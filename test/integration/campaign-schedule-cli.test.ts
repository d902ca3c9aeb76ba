import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';
import { seededCli } from '../helpers/seeded-cli.js';

/** The real `attest` process against a seeded database (PGlite, or Postgres with TEST_DATABASE_URL). */
const { attest, json } = seededCli('attest-schedule');

describe('attest campaign schedule', () => {
  it('adds, lists and disables a schedule', { timeout: 90_000 }, async () => {
    const added = (await json('campaign', 'schedule', 'add', '--name', 'Quarterly access review', '--duration-days', '21', '--privileged-only', '--owner', 'comp@acme.test')) as Record<string, unknown>;
    expect(added).toMatchObject({ name: 'Quarterly access review', cron: '0 9 1 1,4,7,10 *', durationDays: 21, enabled: true, scope: { privilegedOnly: true } });
    const monthly = (await json('campaign', 'schedule', 'add', '--name', 'Monthly admins', '--cron', '0 8 1 * *')) as Record<string, unknown>;
    expect(monthly).toMatchObject({ cron: '0 8 1 * *', durationDays: 14 });

    const listed = await json<Record<string, unknown>[]>('campaign', 'schedule', 'list');
    expect(listed.map((r) => [r.name, r.ownerEmail, r.enabled, r.lastPeriod])).toEqual([
      ['Monthly admins', 'comp@acme.test', true, null],
      ['Quarterly access review', 'comp@acme.test', true, null],
    ]);

    expect(await json('campaign', 'schedule', 'disable', String(monthly.id))).toMatchObject({ id: monthly.id, enabled: false });
    const again = await attest('campaign', 'schedule', 'disable', String(monthly.id));
    expect(again.status).toBe(EXIT_CODES.CONFLICT);
  });

  it('refuses a cron expression that is not five fields, naming the problem', async () => {
    const r = await attest('campaign', 'schedule', 'add', '--name', 'Bad', '--cron', '0 0 9 1 1 *');
    expect(r.status).toBe(EXIT_CODES.INVALID_INPUT);
    expect(r.stderr).toContain('five-field cron');
  });
});
