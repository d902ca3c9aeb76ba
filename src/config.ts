import { z } from 'zod';
import cron from 'node-cron';
import { AppError } from './errors.js';

/**
 * The only reader of the environment. Parsed once at start and frozen; a bad value stops
 * start-up with one line naming the variable and what it expects.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const positiveInt = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(fallback));

const httpUrl = (what: string) => z.string().refine(isHttpUrl, `an http(s) URL (${what})`);

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

const schema = z
  .object({
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .refine((v) => /^postgres(ql)?:\/\//.test(v), 'a postgres:// connection URL')
        .optional(),
    ),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),

    SLACK_BOT_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().refine((v) => v.startsWith('xoxb-'), 'a bot token starting with xoxb-').optional(),
    ),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().refine((v) => v.startsWith('xapp-'), 'an app-level token starting with xapp-').optional(),
    ),
    SLACK_API_URL: z.preprocess(emptyToUndefined, httpUrl('the Slack Web API base').default('https://slack.com/api/')),

    OKTA_ORG_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .refine(isHttpUrl, 'an https:// URL such as https://example.okta.com')
        .refine((v) => {
          const u = new URL(v);
          return u.protocol === 'https:' || LOOPBACK.has(u.hostname);
        }, 'an https:// URL (http:// is accepted only for loopback hosts)')
        .optional(),
    ),
    OKTA_API_TOKEN: optionalString,
    OKTA_CLIENT_ID: optionalString,
    OKTA_PRIVATE_KEY: optionalString,
    OKTA_SCOPES: optionalString,
    /** The Okta profile attribute naming who answers for an account that belongs to no person (its value: an email). */
    OKTA_ACCOUNT_OWNER_ATTRIBUTE: optionalString,

    GOOGLE_CREDENTIALS: optionalString,
    GOOGLE_ADMIN_SUBJECT: z.preprocess(emptyToUndefined, z.string().email('an email address').optional()),
    GOOGLE_API_URL: z.preprocess(emptyToUndefined, httpUrl('the Google API root such as https://admin.googleapis.com/').optional()),
    GOOGLE_CUSTOMER: z.preprocess(emptyToUndefined, z.string().default('my_customer')),

    DIRECTORY_FILE: optionalString,

    HR_WEBHOOK_SECRET: optionalString,
    OKTA_EVENT_HOOK_SECRET: optionalString,

    ATTEST_ADMINS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('')
        .transform((v) =>
          v
            .split(',')
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
        )
        .refine((list) => list.every((e) => z.string().email().safeParse(e).success), 'comma-separated emails'),
    ),
    COMPLIANCE_CHANNEL: optionalString,
    SYNC_SCHEDULE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('0 * * * *')
        .refine((v) => v.trim().split(/\s+/).length === 5 && cron.validate(v), 'a five-field cron expression'),
    ),
    /** Cron for signed chain-head checkpoints; a slot with no new events since the last one is skipped. */
    CHECKPOINT_SCHEDULE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('0 * * * *')
        .refine((v) => v.trim().split(/\s+/).length === 5 && cron.validate(v), 'a five-field cron expression'),
    ),
    /** Cron (in TZ) of the weekly control digest posted to COMPLIANCE_CHANNEL. */
    DIGEST_SCHEDULE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('0 9 * * 1')
        .refine((v) => v.trim().split(/\s+/).length === 5 && cron.validate(v), 'a five-field cron expression'),
    ),
    /** Path of the Ed25519 private key (PEM) that signs checkpoints and bundle manifests. */
    ATTEST_SIGNING_KEY: optionalString,
    /** The Postgres role `serve` runs as; `attest migrate` grants it its rights and no more. */
    ATTEST_APP_ROLE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, 'a Postgres role name (letters, digits, _ and $)')
        .optional(),
    ),
    SYNC_MAX_REMOVAL_SHARE: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(1).default(0.2)),
    REVOKE_MODE: z.preprocess(emptyToUndefined, z.enum(['auto', 'task']).default('task')),
    OFFBOARDING_SLA_HOURS: positiveInt(24),
    MOVER_REVIEW_DAYS: positiveInt(14),
    STALE_LOGIN_DAYS: positiveInt(90),
    /** Unapproved access (a grant that appeared without a request) left undecided this long is a finding; 0: at once. */
    DRIFT_DECISION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(7)),
    /** How long SIGTERM waits for work in flight before exiting anyway. */
    SHUTDOWN_TIMEOUT_S: positiveInt(25),
    /**
     * How long one automated-task attempt holds its task. Far above a connector call's own
     * timeouts and retries, so a live attempt is never overtaken; a dead worker's task is
     * claimed again after it.
     */
    TASK_LEASE_S: positiveInt(300),
    /** Sent outbox rows, Slack message records of finished things and finished job slots older than this are pruned daily; evidence never is. */
    OPERATIONAL_RETENTION_DAYS: positiveInt(90),
    TZ: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('UTC')
        .refine((v) => {
          try {
            new Intl.DateTimeFormat('en', { timeZone: v });
            return true;
          } catch {
            return false;
          }
        }, 'an IANA time zone such as Europe/Berlin'),
    ),
  })
  .superRefine((c, ctx) => {
    if (c.OKTA_ORG_URL && !c.OKTA_API_TOKEN && !(c.OKTA_CLIENT_ID && c.OKTA_PRIVATE_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['OKTA_API_TOKEN'],
        message: 'set with OKTA_ORG_URL (or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY)',
      });
    }
    if (c.OKTA_CLIENT_ID && !c.OKTA_PRIVATE_KEY) {
      ctx.addIssue({ code: 'custom', path: ['OKTA_PRIVATE_KEY'], message: 'set with OKTA_CLIENT_ID (a PEM or JWK)' });
    }
    if (c.GOOGLE_CREDENTIALS && !c.GOOGLE_ADMIN_SUBJECT) {
      ctx.addIssue({
        code: 'custom',
        path: ['GOOGLE_ADMIN_SUBJECT'],
        message: 'set with GOOGLE_CREDENTIALS (the admin email to act as)',
      });
    }
  });

export type Config = Readonly<z.infer<typeof schema>>;

/** Parses the environment; throws an AppError('CONFIG') whose message is one line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'configuration';
    throw new AppError('CONFIG', `Invalid configuration: ${name} must be ${issue?.message ?? 'valid'}`);
  }
  return Object.freeze(parsed.data);
}

/** Names of variables whose values must never reach a log line. */
export const SECRET_KEYS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'OKTA_API_TOKEN',
  'OKTA_PRIVATE_KEY',
  'HR_WEBHOOK_SECRET',
  'OKTA_EVENT_HOOK_SECRET',
  'DATABASE_URL',
] as const;

/** Checked by `serve` only: commands that just touch the database need no Slack. */
export function requireSlack(config: Config): void {
  if (config.SLACK_APP_TOKEN && config.SLACK_BOT_TOKEN) return;
  if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) return;
  const missing = [
    !config.SLACK_BOT_TOKEN && 'SLACK_BOT_TOKEN (xoxb-…, Slack app → OAuth & Permissions → Bot User OAuth Token)',
    !config.SLACK_SIGNING_SECRET &&
      !config.SLACK_APP_TOKEN &&
      'SLACK_SIGNING_SECRET (Slack app → Basic Information → App Credentials), or SLACK_APP_TOKEN (xapp-…, Basic Information → App-Level Tokens, scope connections:write) for Socket Mode',
  ].filter(Boolean);
  throw new AppError(
    'CONFIG',
    `Slack is not configured: set ${missing.join(' and ')} in the environment or .env. ` +
      'Create the app at https://api.slack.com/apps → Create New App → From a manifest, pasting slack-manifest.yaml.',
  );
}
