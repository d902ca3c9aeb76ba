import type { Config } from '../../../config.js';
import { AppError } from '../../../errors.js';
import { loadSigningKey, type SigningKey } from '../signing/signing-key.js';

export const NO_SIGNING_KEY =
  'No signing key: set ATTEST_SIGNING_KEY to the path of an Ed25519 private key (make one with: attest keys generate --out attest-signing.pem)';

/**
 * The key named by ATTEST_SIGNING_KEY. Not configured: null, or a CONFIG error naming what to
 * do when the caller cannot go on without one. Configured but unreadable or not Ed25519: always
 * a CONFIG error, since a broken key must never silently mean "unsigned".
 */
export async function configuredSigningKey(config: Pick<Config, 'ATTEST_SIGNING_KEY'>, required: boolean): Promise<SigningKey | null> {
  const path = config.ATTEST_SIGNING_KEY;
  if (!path) {
    if (required) throw new AppError('CONFIG', NO_SIGNING_KEY);
    return null;
  }
  try {
    return await loadSigningKey(path);
  } catch (err) {
    throw new AppError('CONFIG', `ATTEST_SIGNING_KEY: ${(err as Error).message}`, { cause: err });
  }
}
