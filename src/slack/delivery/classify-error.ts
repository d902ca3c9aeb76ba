import { ErrorCode, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';

/**
 * Slack errors no retry can fix: the conversation or user is gone, the bot is not in it, or
 * the message itself is refused. Anything else (timeouts, 5xx, a renderer's database blip) is
 * retried with backoff until the attempts run out.
 */
export const PERMANENT_SLACK_ERRORS = new Set([
  'channel_not_found',
  'user_not_found',
  'not_in_channel',
  'invalid_blocks',
  'invalid_blocks_format',
  'is_archived',
  'account_inactive',
  'cannot_dm_bot',
  'msg_too_long',
  'no_text',
  'invalid_metadata_format',
  'restricted_action',
]);

export type SendFailure =
  | { kind: 'rate_limited'; retryAfterMs: number; message: string }
  | { kind: 'permanent'; message: string }
  /** `refused`: Slack answered ok:false, so nothing was posted; otherwise the outcome is unknown. */
  | { kind: 'transient'; message: string; refused: boolean };

export function classifyError(err: unknown): SendFailure {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === ErrorCode.RateLimitedError) {
    const seconds = (err as WebAPIRateLimitedError).retryAfter;
    return { kind: 'rate_limited', retryAfterMs: Math.max(1, seconds) * 1000, message: `ratelimited: retry after ${seconds}s` };
  }
  if (code === ErrorCode.PlatformError) {
    const slackError = (err as WebAPIPlatformError).data.error;
    if (slackError === 'ratelimited') return { kind: 'rate_limited', retryAfterMs: 1000, message: 'ratelimited' };
    if (PERMANENT_SLACK_ERRORS.has(slackError)) return { kind: 'permanent', message: slackError };
    return { kind: 'transient', message: slackError, refused: true };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'transient', message, refused: false };
}
