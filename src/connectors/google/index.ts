import type { Logger } from 'pino';
import { PermanentError, type Connector, type DirectoryPage } from '../types.js';
import { canRemove, createActions } from './actions.js';
import { createGoogleCall } from './call-google.js';
import { createDirectoryClient, type Directory } from './directory-client.js';
import { checkEndpoint } from './endpoint.js';
import { readServiceAccountKey } from './key-file.js';
import { readDirectory } from './read-directory.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy.js';
import { READ_SCOPES, WRITE_SCOPES } from './scopes.js';
import { createTokenSource } from './token-source.js';

export interface GoogleConnectorOptions {
  /** Path of the service-account key file (`GOOGLE_CREDENTIALS`). */
  credentialsFile: string;
  /** The Workspace admin the service account acts as (domain-wide delegation). */
  adminSubject: string;
  /** Server root such as `https://admin.googleapis.com/` (`GOOGLE_API_URL`); only its origin is used. */
  apiUrl?: string;
  /** `my_customer` (the admin's own account) or a customer id. */
  customer?: string;
  /** Member listings in flight at once; the Directory API quota is per minute, so keep it small. */
  maxInFlight?: number;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Per HTTP attempt. */
  timeoutMs?: number;
}

export type { RetryPolicy } from './retry-policy.js';

/**
 * Google Workspace through the Admin SDK Directory API. The key file is read now so a bad
 * path stops start-up; nothing touches the network until the first read or action.
 */
export function createGoogleConnector(opts: GoogleConnectorOptions): Connector {
  const key = readServiceAccountKey(opts.credentialsFile);
  if (!opts.adminSubject.includes('@')) throw new PermanentError('google: the admin subject must be an email address');
  const rootUrl = opts.apiUrl ? checkEndpoint(opts.apiUrl, 'GOOGLE_API_URL') : undefined;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const counter = { requests: 0 };
  const call = createGoogleCall(counter);

  const clientWith = (scopes: readonly string[]) => {
    let client: Promise<Directory> | undefined;
    const getToken = createTokenSource({ key, subject: opts.adminSubject, scopes, retry, timeoutMs });
    return () => {
      client ??= createDirectoryClient({
        rootUrl,
        getToken,
        retry,
        timeoutMs,
        onRetry: () => (counter.requests += 1),
        logger: opts.logger,
      }).catch((err: unknown) => {
        client = undefined;
        throw err;
      });
      return client;
    };
  };
  const reader = clientWith(READ_SCOPES);
  const writer = clientWith(WRITE_SCOPES);

  return {
    source: 'google',
    async *read(signal?: AbortSignal): AsyncGenerator<DirectoryPage> {
      const directory = await reader();
      yield* readDirectory({ directory, call, customer: opts.customer ?? 'my_customer', maxInFlight: opts.maxInFlight ?? 4, signal });
    },
    canRemove,
    ...createActions({ directory: writer, call }),
    stats: () => ({ requests: counter.requests }),
  };
}
