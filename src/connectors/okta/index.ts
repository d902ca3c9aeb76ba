import { pino, type Logger } from 'pino';
import { PermanentError, type Connector } from '../types.js';
import { addGroupMembership, deactivateAccount, suspendAccount } from './actions.js';
import type { OktaContext } from './context.js';
import { getAccountStatus } from './get-account-status.js';
import { createOktaClient, defaultScopes } from './okta-client.js';
import { PacedRequestExecutor } from './paced-executor.js';
import { readDirectory } from './read-directory.js';
import { readFactors } from './read-factors.js';
import { canRemove, removeGrant } from './remove-grant.js';

export interface OktaConnectorOptions {
  orgUrl: string;
  /** SSWS API token; or clientId + privateKey for an OAuth 2.0 service app. */
  apiToken?: string;
  clientId?: string;
  /** PEM, or a JWK as JSON. */
  privateKey?: string;
  /** `kid` of the service app's key, when the JWK does not carry it. */
  keyId?: string;
  /** OAuth scopes; by default the read scopes, plus the manage ones when removalEnabled. */
  scopes?: string[];
  /** Requests in flight at once (default 8). */
  maxInFlight?: number;
  logger?: Logger;
  /** Without it the connector only reads: no actions, canRemove is false. */
  removalEnabled?: boolean;
  /** Retries of a rate-limited request, each after the announced reset (default 4). */
  maxRetries?: number;
  requestTimeoutMs?: number;
  /** The profile attribute that names an account's owner (OKTA_ACCOUNT_OWNER_ATTRIBUTE). */
  accountOwnerAttribute?: string;
}

/** The Okta source, through @okta/okta-sdk-nodejs. */
export function createOktaConnector(opts: OktaConnectorOptions): Connector {
  const logger = (opts.logger ?? pino({ level: 'silent' })).child({ connector: 'okta' });
  const maxInFlight = Math.max(1, Math.floor(opts.maxInFlight ?? 8));
  const removal = opts.removalEnabled ?? false;
  const executor = new PacedRequestExecutor({
    maxInFlight,
    maxRetries: opts.maxRetries ?? 4,
    requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
    logger,
  });
  const client = createOktaClient({ ...opts, scopes: opts.scopes ?? defaultScopes(removal) }, executor);
  const ctx: OktaContext = { client, width: maxInFlight, logger, groupTypes: new Map(), accountOwnerAttribute: opts.accountOwnerAttribute ?? null };
  // One token request before the fan-out; otherwise every first request would fetch its own.
  const warmUp = async () => {
    if (client.authorizationMode !== 'PrivateKey') return;
    // The SDK caches an error answer as if it were a token; say what the server refused instead.
    const token = (await client.oauth.getAccessToken()) as { access_token?: string; error?: string; error_description?: string };
    if (token.access_token) return;
    client.oauth.clearCachedAccessToken();
    throw new PermanentError(`Okta refused the service app's token request: ${token.error ?? 'no token'} ${token.error_description ?? ''}`.trim());
  };
  const reader: Connector = {
    source: 'okta',
    read: (signal) => readDirectory(ctx, warmUp, signal),
    getAccountStatus: (id) => getAccountStatus(ctx, id),
    readMfa: (ids, signal) => readFactors(ctx, ids, signal),
    canRemove: (grant) => removal && canRemove(ctx, grant),
    stats: () => ({ requests: executor.requests }),
  };
  if (!removal) return reader;
  return {
    ...reader,
    deactivateAccount: (id) => deactivateAccount(ctx, id),
    suspendAccount: (id) => suspendAccount(ctx, id),
    removeGrant: (grant) => removeGrant(ctx, grant),
    addGroupMembership: (userId, groupId) => addGroupMembership(ctx, userId, groupId),
  };
}
