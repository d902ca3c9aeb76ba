import { Client, type RequestExecutor } from '@okta/okta-sdk-nodejs';
import { PermanentError } from '../types.js';

export interface OktaAuth {
  orgUrl: string;
  apiToken?: string;
  clientId?: string;
  /** PEM, or a JWK as JSON. */
  privateKey?: string;
  keyId?: string;
  scopes: string[];
}

const READ_SCOPES = ['okta.users.read', 'okta.groups.read', 'okta.apps.read', 'okta.roles.read'];
const MANAGE_SCOPES = ['okta.users.manage', 'okta.groups.manage', 'okta.apps.manage', 'okta.roles.manage'];

/** Least privilege: write scopes only when the connector may remove access. */
export function defaultScopes(removalEnabled: boolean): string[] {
  return removalEnabled ? [...READ_SCOPES, ...MANAGE_SCOPES] : READ_SCOPES;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The SDK client, with an API token (SSWS) or as an OAuth service app signing with a private key.
 * Every field is passed even when empty because the SDK fills gaps from OKTA_CLIENT_* variables
 * and okta.yaml files; its GET cache is off because it never expires entries.
 */
export function createOktaClient(auth: OktaAuth, requestExecutor: RequestExecutor): Client {
  const url = new URL(auth.orgUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new PermanentError(`Okta org URL must be https (http only on loopback): ${url.origin}`);
  }
  const common = { orgUrl: url.origin, requestExecutor, cacheMiddleware: null, keyId: auth.keyId ?? '' };
  if (auth.apiToken) {
    return new Client({ ...common, authorizationMode: 'SSWS', token: auth.apiToken, clientId: '', privateKey: '', scopes: [] });
  }
  if (auth.clientId && auth.privateKey) {
    return new Client({
      ...common,
      authorizationMode: 'PrivateKey',
      token: '',
      clientId: auth.clientId,
      privateKey: auth.privateKey,
      scopes: auth.scopes,
    });
  }
  throw new PermanentError('Okta needs an API token, or a client id with a private key');
}
