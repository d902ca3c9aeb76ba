import { createSign } from 'node:crypto';
import { PermanentError, TransientError } from '../types.js';
import type { ServiceAccountKey } from './key-file.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';
import { sleep } from '../sleep.js';

/** What google-auth-library's `refreshHandler` expects back. */
export interface AccessToken {
  access_token: string;
  expiry_date: number;
}

export interface TokenSourceOptions {
  key: ServiceAccountKey;
  subject: string;
  scopes: readonly string[];
  retry: RetryPolicy;
  timeoutMs: number;
  onRequest?: () => void;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** RFC 7523 JWT bearer assertion, signed RS256 with the service account's key. */
export function signAssertion(opts: Pick<TokenSourceOptions, 'key' | 'subject' | 'scopes'>, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(opts.key.privateKeyId ? { kid: opts.key.privateKeyId } : {}) };
  const claims = {
    iss: opts.key.clientEmail,
    sub: opts.subject,
    scope: opts.scopes.join(' '),
    aud: opts.key.tokenUri,
    iat,
    exp: iat + 3600,
  };
  const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(opts.key.privateKey);
  return `${unsigned}.${b64url(signature)}`;
}

/**
 * Fetches access tokens from the key file's `token_uri`. The Node Google libraries always use
 * Google's own token URL; the other languages' libraries honour `token_uri`, and so do we, so
 * a proxy or a local fake can serve tokens. Concurrent callers share one request.
 */
export function createTokenSource(opts: TokenSourceOptions): () => Promise<AccessToken> {
  let inFlight: Promise<AccessToken> | undefined;
  return () => {
    inFlight ??= fetchWithRetry(opts).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

async function fetchWithRetry(opts: TokenSourceOptions): Promise<AccessToken> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fetchToken(opts);
    } catch (err) {
      if (!(err instanceof TransientError) || attempt >= opts.retry.retries) throw err;
      await sleep(retryDelayMs(opts.retry, attempt + 1, (err as TransientError & { retryAfter?: string }).retryAfter));
    }
  }
}

async function fetchToken(opts: TokenSourceOptions): Promise<AccessToken> {
  opts.onRequest?.();
  const body = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: signAssertion(opts),
  });
  let res: Response;
  try {
    res = await fetch(opts.key.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    throw new TransientError(`google token: ${(err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'}`);
  }
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok && typeof data.access_token === 'string') {
    const expiresIn = typeof data.expires_in === 'number' ? data.expires_in : 3600;
    return { access_token: data.access_token, expiry_date: Date.now() + expiresIn * 1000 };
  }
  // OAuth errors carry a code and a description, never the assertion: safe to show.
  const why = [data.error, data.error_description].filter((v) => typeof v === 'string').join(': ');
  const message = `google token: HTTP ${res.status}${why ? ` ${why}` : ''}`;
  if (res.status === 429 || res.status >= 500) {
    throw Object.assign(new TransientError(message), { retryAfter: res.headers.get('retry-after') });
  }
  throw new PermanentError(message);
}
