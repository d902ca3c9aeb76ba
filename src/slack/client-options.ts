import type { RetryOptions, WebClientOptions } from '@slack/web-api';
import { toBoltLogger, type Logger } from '../logger.js';

/**
 * The WebClient's default policy retries 10 times over about 30 minutes, 500s included: a
 * listener waiting on that holds a user's click for half an hour, and a failing fake hangs a
 * test. Interactive calls get a few quick retries; whatever must not be lost goes through the
 * outbox, which has its own schedule.
 */
export const INTERACTIVE_RETRIES: RetryOptions = { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 3000, randomize: true };

export interface SlackClientSettings {
  apiUrl: string;
  retryConfig?: RetryOptions | undefined;
  timeoutMs?: number | undefined;
}

export function slackClientOptions(settings: SlackClientSettings, logger: Logger): WebClientOptions {
  return {
    slackApiUrl: settings.apiUrl,
    retryConfig: settings.retryConfig ?? INTERACTIVE_RETRIES,
    timeout: settings.timeoutMs ?? 10_000,
    logger: toBoltLogger(logger),
  };
}
