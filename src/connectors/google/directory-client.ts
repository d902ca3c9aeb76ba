import type { admin_directory_v1 } from 'googleapis';
import type { Logger } from 'pino';
import { httpStatus } from './classify-error.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';
import type { AccessToken } from './token-source.js';

export type Directory = admin_directory_v1.Admin;

export interface DirectoryClientOptions {
  /** Server root; googleapis keeps only its origin and appends `/admin/directory/v1/…`. */
  rootUrl: string | undefined;
  getToken: () => Promise<AccessToken>;
  retry: RetryPolicy;
  timeoutMs: number;
  /** Called once per retry the client makes, for `stats().requests`. */
  onRetry: () => void;
  logger: Logger | undefined;
}

// POST is members.insert; a repeat after a lost answer gets 409, which the action treats as done.
const RETRY_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'POST'];
const retryableStatus = (s: number) => s === 408 || s === 429 || s >= 500;

/** The part of a gaxios error the retry rule reads (gaxios itself is not our dependency). */
interface FailedRequest {
  config: { method?: string; signal?: AbortSignal | null; retryConfig?: { currentRetryAttempt?: number } };
  response?: { status?: number };
}

/**
 * gaxios's own rule never retries a timeout (it fetches through node-fetch, whose abort error
 * it does not recognise as one), so one slow page would fail a whole sync. This retries
 * timeouts and network failures too, but never a request the caller aborted.
 */
export function shouldRetry(policy: RetryPolicy) {
  return async (err: FailedRequest): Promise<boolean> => {
    if ((err.config.retryConfig?.currentRetryAttempt ?? 0) >= policy.retries) return false;
    if (!RETRY_METHODS.includes((err.config.method ?? 'GET').toUpperCase())) return false;
    const status = httpStatus(err);
    if (status !== undefined) return retryableStatus(status);
    const signal = err.config.signal;
    return !signal?.aborted || (signal.reason as Error | undefined)?.name === 'TimeoutError';
  };
}

/**
 * Builds a Directory API client. googleapis is imported lazily: its index loads every Google
 * API (~0.5 s), which processes without a Google source should not pay.
 */
export async function createDirectoryClient(opts: DirectoryClientOptions): Promise<Directory> {
  const { google } = await import('googleapis');
  // An OAuth2 client with a refresh handler is how google-auth-library takes tokens minted
  // elsewhere; `forceRefreshOnFailure` makes a 401 fetch a fresh token once and retry.
  const auth = new google.auth.OAuth2({ forceRefreshOnFailure: true });
  auth.refreshHandler = opts.getToken;
  return google.admin({
    version: 'directory_v1',
    auth,
    ...(opts.rootUrl ? { rootUrl: opts.rootUrl } : {}),
    timeout: opts.timeoutMs,
    retry: opts.retry.retries > 0,
    retryConfig: {
      retry: opts.retry.retries,
      shouldRetry: shouldRetry(opts.retry),
      retryBackoff: async (err) => {
        const attempt = err.config.retryConfig?.currentRetryAttempt ?? 1;
        const delay = retryDelayMs(opts.retry, attempt, err.response?.headers.get('retry-after'));
        await new Promise((resolve) => setTimeout(resolve, delay));
      },
      onRetryAttempt: (err) => {
        opts.onRetry();
        opts.logger?.warn({ status: httpStatus(err), url: err.config.url?.toString().split('?')[0] }, 'google: retrying');
      },
    },
  });
}
