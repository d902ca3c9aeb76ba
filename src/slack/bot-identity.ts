import type { Authorize } from '@slack/bolt';
import { ErrorCode, type WebClient } from '@slack/web-api';
import { AppError } from '../errors.js';

export interface BotIdentity {
  botId: string;
  botUserId: string;
}

/** Slack's answers that mean the token itself is wrong: retrying will not help, the operator must. */
const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

/**
 * Bolt needs the bot's ids (to ignore its own messages). Without them it calls auth.test, and an
 * uncached lookup per request costs a Web API call per click. This one asks once, keeps the
 * answer, and asks again only after a failure.
 */
export function botAuthorize(client: WebClient, botToken: string, known?: BotIdentity): {
  authorize: Authorize<boolean>;
  resolve(): Promise<BotIdentity>;
} {
  let identity: Promise<BotIdentity> | undefined = known ? Promise.resolve(known) : undefined;
  const resolve = (): Promise<BotIdentity> => {
    identity ??= client.auth
      .test({ token: botToken })
      .then((r) => ({ botId: r.bot_id ?? '', botUserId: r.user_id ?? '' }))
      .catch((err: unknown) => {
        identity = undefined;
        throw err;
      });
    return identity;
  };
  return {
    resolve,
    authorize: async () => ({ botToken, ...(await resolve()) }),
  };
}

/** A refused token stops start-up with a line saying what to fix; an unreachable Slack does not. */
export function classifyIdentityError(err: unknown): AppError | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  if (e.code === ErrorCode.PlatformError && e.data?.error && BAD_TOKEN.has(e.data.error)) {
    return new AppError(
      'CONFIG',
      `Slack refused SLACK_BOT_TOKEN (${e.data.error}): copy the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page`,
      { cause: err },
    );
  }
  return undefined;
}
