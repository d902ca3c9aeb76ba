import { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { ChatDirectory } from '../domain/people/chat-directory.js';
import type { Logger } from '../logger.js';
import { INTERACTIVE_RETRIES, slackClientOptions } from '../slack/client-options.js';
import { slackUserDirectory } from '../slack/user-directory.js';

/**
 * The Slack workspace's members for CLI commands, when SLACK_BOT_TOKEN is set (commands that
 * only touch the database need no Slack, so undefined otherwise). A few quick retries for
 * network errors; a 429 is handed to the directory, which waits its Retry-After.
 */
export function cliChatDirectory(config: Config, logger: Logger): ChatDirectory | undefined {
  if (!config.SLACK_BOT_TOKEN) return undefined;
  const options = slackClientOptions({ apiUrl: config.SLACK_API_URL, retryConfig: INTERACTIVE_RETRIES }, logger);
  return slackUserDirectory(new WebClient(config.SLACK_BOT_TOKEN, { ...options, rejectRateLimitedCalls: true }));
}
