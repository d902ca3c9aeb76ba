import type { Config } from '../../config.js';
import { REQUIRED_BOT_SCOPES } from './required-scopes.js';
import { messageOf } from './run-checks.js';
import type { AuthAnswer, SlackProbe } from './slack-probe.js';
import { fail, notChecked, ok, type Check, type CheckOutcome } from './types.js';

/** Slack's answers that mean the token itself is wrong (as in src/slack/bot-identity.ts). */
const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

const COPY_TOKEN =
  "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page";
export const REINSTALL =
  'reinstall the app from slack-manifest.yaml: Slack app → App Manifest → paste slack-manifest.yaml → Save, then Install App → Reinstall to Workspace (and update SLACK_BOT_TOKEN if it changes)';

export type SlackConfig = Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL'>;

/**
 * The token, its scopes and the request-verification secret. auth.test is asked once per run and
 * shared: the scopes arrive on its response.
 */
export function slackChecks(config: SlackConfig, probe: SlackProbe | undefined): { checks: Check[]; auth: () => Promise<AuthAnswer | undefined> } {
  let answer: Promise<AuthAnswer | undefined> | undefined;
  const auth = () => (answer ??= probe ? probe.authTest() : Promise.resolve(undefined));
  const tokenOk = async () => {
    try {
      const a = await auth();
      return a?.ok ? a : undefined;
    } catch {
      return undefined;
    }
  };
  const checks: Check[] = [
    {
      name: 'slack_token',
      async run() {
        if (!probe) return fail('SLACK_BOT_TOKEN is not set', COPY_TOKEN);
        let a: AuthAnswer | undefined;
        try {
          a = await auth();
        } catch (err) {
          return fail(`Slack did not answer at ${config.SLACK_API_URL}: ${messageOf(err)}`, 'check SLACK_API_URL (default https://slack.com/api/) and the network path to it');
        }
        if (!a) return fail('SLACK_BOT_TOKEN is not set', COPY_TOKEN);
        if (a.ok) return ok(`SLACK_BOT_TOKEN works: bot user ${a.botUserId} in ${a.team}`);
        if (BAD_TOKEN.has(a.error)) return fail(`Slack refused SLACK_BOT_TOKEN (${a.error})`, COPY_TOKEN);
        return fail(`auth.test answered ${a.error}`, COPY_TOKEN);
      },
    },
    {
      name: 'slack_scopes',
      async run() {
        const a = await tokenOk();
        if (!a) return notChecked('the Slack token does not work', 'fix slack_token first');
        return scopesOutcome(a.scopes);
      },
    },
    { name: 'slack_transport', run: async () => transportOutcome(config) },
  ];
  return { checks, auth: tokenOk };
}

export function scopesOutcome(scopes: string[] | null): CheckOutcome {
  if (scopes === null) return fail('Slack did not report the token’s scopes (no x-oauth-scopes header)', REINSTALL);
  const held = new Set(scopes);
  const missing = REQUIRED_BOT_SCOPES.filter((s) => !held.has(s));
  if (missing.length > 0) return fail(`the bot token lacks ${missing.length === 1 ? 'scope' : 'scopes'} ${missing.join(', ')}`, REINSTALL);
  return ok(`the bot token holds all ${REQUIRED_BOT_SCOPES.length} scopes slack-manifest.yaml asks for`);
}

function transportOutcome(config: SlackConfig): CheckOutcome {
  if (config.SLACK_APP_TOKEN) return ok('Socket Mode: SLACK_APP_TOKEN is set (turn on Socket Mode in the Slack app too)');
  if (config.SLACK_SIGNING_SECRET) return ok('HTTP mode: SLACK_SIGNING_SECRET is set; Slack must reach POST /slack/events');
  return fail(
    'neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode) is set: `attest serve` cannot verify Slack requests',
    'set SLACK_SIGNING_SECRET (Slack app → Basic Information → App Credentials → Signing Secret), or SLACK_APP_TOKEN (xapp-…, Basic Information → App-Level Tokens, scope connections:write) for Socket Mode',
  );
}
