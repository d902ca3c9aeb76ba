import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Connector } from './types.js';

export const SOURCES = ['okta', 'google', 'file'] as const;
export type SourceName = (typeof SOURCES)[number];

/** Which sources the environment configures. */
export function configuredSources(config: Config): SourceName[] {
  const out: SourceName[] = [];
  if (config.OKTA_ORG_URL) out.push('okta');
  if (config.GOOGLE_CREDENTIALS) out.push('google');
  if (config.DIRECTORY_FILE) out.push('file');
  return out;
}

/** Builds one connector from configuration; SDKs are loaded only for sources in use. */
export async function createConnector(name: SourceName, config: Config, logger: Logger): Promise<Connector> {
  switch (name) {
    case 'okta': {
      if (!config.OKTA_ORG_URL) throw notConfigured('okta', 'OKTA_ORG_URL and OKTA_API_TOKEN (or OKTA_CLIENT_ID + OKTA_PRIVATE_KEY)');
      const { createOktaConnector } = await import('./okta/index.js');
      return createOktaConnector({
        orgUrl: config.OKTA_ORG_URL,
        ...(config.OKTA_API_TOKEN ? { apiToken: config.OKTA_API_TOKEN } : {}),
        ...(config.OKTA_CLIENT_ID ? { clientId: config.OKTA_CLIENT_ID } : {}),
        ...(config.OKTA_PRIVATE_KEY ? { privateKey: config.OKTA_PRIVATE_KEY } : {}),
        ...(config.OKTA_SCOPES ? { scopes: config.OKTA_SCOPES.split(/[\s,]+/).filter(Boolean) } : {}),
        ...(config.OKTA_ACCOUNT_OWNER_ATTRIBUTE ? { accountOwnerAttribute: config.OKTA_ACCOUNT_OWNER_ATTRIBUTE } : {}),
        removalEnabled: config.REVOKE_MODE === 'auto',
        logger: logger.child({ connector: 'okta' }),
      });
    }
    case 'google': {
      if (!config.GOOGLE_CREDENTIALS || !config.GOOGLE_ADMIN_SUBJECT) {
        throw notConfigured('google', 'GOOGLE_CREDENTIALS and GOOGLE_ADMIN_SUBJECT');
      }
      const { createGoogleConnector } = await import('./google/index.js');
      return createGoogleConnector({
        credentialsFile: config.GOOGLE_CREDENTIALS,
        adminSubject: config.GOOGLE_ADMIN_SUBJECT,
        customer: config.GOOGLE_CUSTOMER,
        ...(config.GOOGLE_API_URL ? { apiUrl: config.GOOGLE_API_URL } : {}),
        logger: logger.child({ connector: 'google' }),
      });
    }
    case 'file': {
      if (!config.DIRECTORY_FILE) throw notConfigured('file', 'DIRECTORY_FILE');
      const { createFileConnector } = await import('./file/index.js');
      return createFileConnector({ path: config.DIRECTORY_FILE });
    }
  }
}

function notConfigured(source: string, what: string): AppError {
  return new AppError('CONFIG', `The ${source} source is not configured: set ${what}`);
}
