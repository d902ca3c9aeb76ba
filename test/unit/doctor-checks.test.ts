import { describe, expect, it } from 'vitest';
import { REQUIRED_BOT_SCOPES } from '../../src/domain/doctor/required-scopes.js';
import { runChecks } from '../../src/domain/doctor/run-checks.js';
import { complianceChannelCheck } from '../../src/domain/doctor/check-compliance-channel.js';
import { scopesOutcome } from '../../src/domain/doctor/check-slack.js';
import type { ChannelAnswer, SlackProbe } from '../../src/domain/doctor/slack-probe.js';
import { ok, warn, type Check } from '../../src/domain/doctor/types.js';
import { sourceCheck } from '../../src/domain/doctor/check-sources.js';
import { PermanentError, type Connector } from '../../src/connectors/types.js';
import { manifestBotScopes } from '../fakes/slack/manifest-scopes.js';

const never = (name: string): Check => ({ name, timeoutMs: 50, run: () => new Promise(() => {}) });
const signal = new AbortController().signal;

function probe(answer: ChannelAnswer): SlackProbe {
  return {
    authTest: async () => ({ ok: true, scopes: [...REQUIRED_BOT_SCOPES], team: 'T', botUserId: 'U0BOT' }),
    channelInfo: async () => answer,
  };
}
const authed = async () => ({ ok: true as const, scopes: [], team: 'T', botUserId: 'U0BOT' });

describe('doctor checks', () => {
  it('requires exactly the bot scopes slack-manifest.yaml asks for', () => {
    expect([...REQUIRED_BOT_SCOPES].sort()).toEqual(manifestBotScopes().sort());
  });

  it('names every missing scope, and passes a token holding more than it needs', () => {
    const held = REQUIRED_BOT_SCOPES.filter((s) => s !== 'im:write' && s !== 'files:write');
    const missing = scopesOutcome(held);
    expect(missing.status).toBe('fail');
    expect(missing.detail).toContain('im:write, files:write');
    expect(scopesOutcome([...REQUIRED_BOT_SCOPES, 'reactions:write']).status).toBe('ok');
  });

  it('fails a check that hangs or throws and still runs the rest', async () => {
    const report = await runChecks([
      never('hangs'),
      { name: 'throws', run: async () => Promise.reject(new Error('boom')) },
      { name: 'warns', run: async () => warn('meh', 'do something') },
      { name: 'fine', run: async () => ok('fine') },
    ]);
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['hangs', 'fail'],
      ['throws', 'fail'],
      ['warns', 'warn'],
      ['fine', 'ok'],
    ]);
    expect(report.checks[0]!.detail).toContain('no answer within');
    expect(report.checks[1]!.detail).toContain('boom');
  });

  it('is ok with warnings only', async () => {
    const report = await runChecks([{ name: 'warns', run: async () => warn('meh', 'do something') }]);
    expect(report.ok).toBe(true);
  });

  it('tells an operator who set a channel name instead of an ID to use the ID', async () => {
    const check = complianceChannelCheck('#compliance', probe({ ok: false, error: 'channel_not_found' }), authed);
    const out = await check.run(signal);
    expect(out.status).toBe('fail');
    expect(out.fix).toContain('channel ID');
  });

  it('names the scope conversations.info needs when the token lacks it', async () => {
    const check = complianceChannelCheck('C0COMPLY', probe({ ok: false, error: 'missing_scope', needed: 'channels:read' }), authed);
    const out = await check.run(signal);
    expect(out).toMatchObject({ status: 'fail', detail: expect.stringContaining('channels:read') });
    expect(out.fix).toContain('slack-manifest.yaml');
  });

  it('warns, with the variable to set, when there is no compliance channel', async () => {
    const out = await complianceChannelCheck(undefined, undefined, authed).run(signal);
    expect(out.status).toBe('warn');
    expect(out.fix).toContain('COMPLIANCE_CHANNEL');
  });

  it('reads one page of a source and stops there', async () => {
    let pages = 0;
    let stopped = false;
    const connector: Connector = {
      source: 'okta',
      async *read() {
        try {
          pages += 1;
          yield { accounts: [] };
          pages += 1;
          throw new Error('the second page must not be read');
        } finally {
          stopped = true;
        }
      },
      canRemove: () => false,
    };
    const out = await sourceCheck('okta', async () => connector).run(signal);
    expect(out).toMatchObject({ status: 'ok', detail: 'okta answered: 0 accounts on the first page' });
    expect([pages, stopped]).toEqual([1, true]);
  });

  it('fails a source that refuses, naming its variables', async () => {
    const connector: Connector = {
      source: 'okta',
      // eslint-disable-next-line require-yield
      async *read() {
        throw new PermanentError('Okta answered 401 Invalid token provided');
      },
      canRemove: () => false,
    };
    const out = await sourceCheck('okta', async () => connector).run(signal);
    expect(out).toMatchObject({ status: 'fail', detail: expect.stringContaining('401') });
    expect(out.fix).toContain('OKTA_API_TOKEN');
  });
});
