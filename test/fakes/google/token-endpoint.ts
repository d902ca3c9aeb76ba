import { randomBytes, verify, type KeyObject } from 'node:crypto';

export interface IssuedToken {
  token: string;
  sub: string;
  scopes: string[];
  expiresAt: number;
}

export interface TokenPolicy {
  publicKey: KeyObject;
  clientEmail: string;
  tokenUri: string;
  /** Users the service account may act as. */
  subjects: string[];
  /** Scopes authorised for the client in the Admin console (domain-wide delegation). */
  authorisedScopes: string[];
}

export type TokenAnswer = { status: number; body: Record<string, unknown>; issued?: IssuedToken };

const fail = (status: number, error: string, error_description: string): TokenAnswer => ({ status, body: { error, error_description } });

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * Google's OAuth token endpoint for the JWT bearer grant: the assertion's RS256 signature is
 * checked with the service account's public key, then issuer, audience, lifetime, subject and
 * scopes, with Google's own error codes.
 */
export function answerTokenRequest(form: URLSearchParams, policy: TokenPolicy, nowMs = Date.now()): TokenAnswer {
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
    return fail(400, 'unsupported_grant_type', 'Invalid grant_type: ' + (form.get('grant_type') ?? ''));
  }
  const parts = (form.get('assertion') ?? '').split('.');
  if (parts.length !== 3) return fail(400, 'invalid_request', 'Invalid JWT.');
  const [h, c, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decode(h);
    claims = decode(c);
  } catch {
    return fail(400, 'invalid_request', 'Invalid JWT.');
  }
  const signed = header.alg === 'RS256' && verify('RSA-SHA256', Buffer.from(`${h}.${c}`), policy.publicKey, Buffer.from(s, 'base64url'));
  if (!signed) return fail(400, 'invalid_grant', 'Invalid JWT Signature.');
  if (claims.iss !== policy.clientEmail) return fail(400, 'invalid_grant', 'Invalid issuer.');
  if (claims.aud !== policy.tokenUri) return fail(400, 'invalid_grant', 'Invalid JWT: Failed audience check.');
  const now = Math.floor(nowMs / 1000);
  const iat = Number(claims.iat);
  const exp = Number(claims.exp);
  if (!(iat <= now + 60 && exp > now && exp - iat <= 3600)) {
    return fail(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
  }
  if (typeof claims.sub !== 'string' || !policy.subjects.includes(claims.sub)) {
    return fail(400, 'invalid_grant', 'Invalid email or User ID');
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  if (scopes.length === 0) return fail(400, 'invalid_scope', 'Empty or missing scope not allowed.');
  if (!scopes.every((sc) => policy.authorisedScopes.includes(sc))) {
    return fail(
      401,
      'unauthorized_client',
      'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    );
  }
  const issued = { token: `ya29.fake-${randomBytes(16).toString('hex')}`, sub: claims.sub, scopes, expiresAt: nowMs + 3599_000 };
  return { status: 200, body: { access_token: issued.token, expires_in: 3599, token_type: 'Bearer' }, issued };
}
