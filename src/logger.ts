import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export type Logger = PinoLogger;

/**
 * Structured JSON logs. Anything that looks like a credential is censored wherever it sits,
 * because SDKs log request options (headers, tokens) when they fail.
 */
const REDACT = [
  'token',
  'secret',
  'password',
  'privateKey',
  'private_key',
  'authorization',
  'Authorization',
  'headers.authorization',
  'headers.Authorization',
  'headers["x-slack-signature"]',
  'headers["x-attest-signature"]',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.SLACK_APP_TOKEN',
  'config.OKTA_API_TOKEN',
  'config.OKTA_PRIVATE_KEY',
  'config.HR_WEBHOOK_SECRET',
  'config.OKTA_EVENT_HOOK_SECRET',
  'config.DATABASE_URL',
  '*.token',
  '*.secret',
  '*.password',
  '*.privateKey',
  '*.private_key',
  '*.authorization',
  '*.Authorization',
  '*.*.authorization',
  '*.*.Authorization',
];

export function createLogger(
  opts: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: opts.name ?? 'attest',
      level: opts.level ?? 'info',
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

/** Bolt wants its own logger shape; route it into ours so every line is JSON and redacted. */
export function toBoltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const child = logger.child({ component: 'bolt' });
  const join = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => child.debug(join(msg)),
    info: (...msg) => child.info(join(msg)),
    warn: (...msg) => child.warn(join(msg)),
    error: (...msg) => child.error(join(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
