import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PermanentError } from '../types.js';
import { checkEndpoint } from './endpoint.js';

/** The fields of a Google service-account key file that domain-wide delegation needs. */
export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: string;
  privateKeyId: string | undefined;
  tokenUri: string;
}

const keyFileSchema = z.object({
  client_email: z.string().min(1),
  private_key: z.string().includes('PRIVATE KEY', { message: 'a PEM private key' }),
  private_key_id: z.string().optional(),
  token_uri: z.string().default('https://oauth2.googleapis.com/token'),
});

/**
 * Reads and checks the key file once, at start, so a wrong path or a truncated file stops
 * start-up instead of the first sync. Errors name the field, never its value: the file holds
 * a private key.
 */
export function readServiceAccountKey(path: string): ServiceAccountKey {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new PermanentError(`google: cannot read the service-account key file ${path} (${why})`);
  }
  const parsed = keyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PermanentError(`google: the service-account key file ${path} is not usable (${fields})`);
  }
  const key = parsed.data;
  return {
    clientEmail: key.client_email,
    privateKey: key.private_key,
    privateKeyId: key.private_key_id,
    tokenUri: checkEndpoint(key.token_uri, 'token_uri'),
  };
}
