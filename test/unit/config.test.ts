import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { loadConfig, requireSlack } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to refuse');
};

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      SLACK_API_URL: 'https://slack.com/api/',
      SYNC_SCHEDULE: '0 * * * *',
      DIGEST_SCHEDULE: '0 9 * * 1',
      REVOKE_MODE: 'task',
      OFFBOARDING_SLA_HOURS: 24,
      MOVER_REVIEW_DAYS: 14,
      TZ: 'UTC',
      ATTEST_ADMINS: [],
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REVOKE_MODE: 'sometimes' }, 'REVOKE_MODE'],
    [{ SYNC_SCHEDULE: 'every hour' }, 'SYNC_SCHEDULE'],
    [{ DIGEST_SCHEDULE: 'mondays at nine' }, 'DIGEST_SCHEDULE'],
    [{ DIGEST_SCHEDULE: '0 0 9 * * 1' }, 'DIGEST_SCHEDULE'],
    [{ TZ: 'Mars/Olympus' }, 'TZ'],
    [{ ATTEST_ADMINS: 'ann@example.com, not-an-email' }, 'ATTEST_ADMINS'],
    [{ OKTA_ORG_URL: 'http://acme.okta.com', OKTA_API_TOKEN: 'x' }, 'OKTA_ORG_URL'],
    [{ OKTA_ORG_URL: 'https://acme.okta.com' }, 'OKTA_API_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token' }, 'SLACK_BOT_TOKEN'],
    [{ OFFBOARDING_SLA_HOURS: '-3' }, 'OFFBOARDING_SLA_HOURS'],
  ])('refuses %o with one line naming %s', (env, name) => {
    const message = fails(env);
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it('accepts http:// Okta URLs only for loopback hosts', () => {
    expect(loadConfig({ OKTA_ORG_URL: 'http://127.0.0.1:8080', OKTA_API_TOKEN: 't' }).OKTA_ORG_URL).toBe('http://127.0.0.1:8080');
  });

  it('says exactly what to set when Slack is not configured', () => {
    expect(() => requireSlack(loadConfig({}))).toThrow(/SLACK_BOT_TOKEN.*SLACK_SIGNING_SECRET.*slack-manifest\.yaml/);
    expect(() => requireSlack(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }))).not.toThrow();
    expect(() => requireSlack(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }))).not.toThrow();
  });
});

describe('logger', () => {
  it('never writes a secret, wherever it sits in the log object', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    const logger = createLogger({ level: 'info' }, sink);
    logger.info({ config: { SLACK_BOT_TOKEN: 'xoxb-very-secret', PORT: 3000 }, headers: { authorization: 'SSWS abc123' }, token: 'tok-1' }, 'starting');
    expect(out).not.toMatch(/xoxb-very-secret|SSWS abc123|tok-1/);
    expect(JSON.parse(out)).toMatchObject({ msg: 'starting', config: { PORT: 3000 } });
  });
});
