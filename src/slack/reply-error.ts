import { isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { SlackMessage } from './views/blocks.js';
import { buildNotice } from './views/notice.js';

/**
 * The one place an error becomes a Slack answer. An AppError's message is written for the user;
 * anything else is a bug, logged in full, and the user gets a reference to quote instead of
 * silence (a swallowed error would look like a decision that was recorded).
 */
export function errorReply(err: unknown, logger: Logger, context: Record<string, unknown>): SlackMessage {
  if (isAppError(err)) {
    logger.info({ ...context, code: err.code, detail: err.detail }, 'slack request refused');
    return buildNotice(err.message);
  }
  const ref = Math.random().toString(36).slice(2, 10);
  logger.error({ ...context, err, ref }, 'slack request failed');
  return buildNotice(`Something went wrong on our side (reference ${ref}). Please try again, or tell your Attest admins.`);
}
