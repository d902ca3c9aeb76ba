import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/** A service app registered in the fake org (OAuth 2.0 client credentials with private_key_jwt). */
export interface FakeOAuthClient {
  clientId: string;
  /** The public half of the key the connector signs its client assertion with (PEM, JWK or KeyObject). */
  publicKey: string | JsonWebKey | KeyObject;
  /** Scopes granted to the app; asking for any other is `invalid_scope`. */
  scopes: string[];
}

interface IssuedToken {
  scopes: Set<string>;
  dpopJkt: string | undefined;
  expiresAt: number;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface TokenRequestLog {
  clientId: string | undefined;
  scope: string;
  dpop: boolean;
  status: number;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The org authorization server's /oauth2/v1/token as the SDK meets it: the client assertion is
 * verified against the registered key, scopes are checked, and when DPoP is required the first
 * call is answered with `use_dpop_nonce` (which the SDK follows by retrying with the nonce).
 */
export class FakeAuthorizationServer {
  readonly tokenRequests: TokenRequestLog[] = [];
  private readonly clients = new Map<string, { key: KeyObject; scopes: Set<string> }>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly nonce = randomBytes(12).toString('base64url');

  constructor(
    clients: FakeOAuthClient[],
    private readonly requireDpop: boolean,
  ) {
    for (const c of clients) this.clients.set(c.clientId, { key: toKey(c.publicKey), scopes: new Set(c.scopes) });
  }

  token(base: string, rawBody: string, dpopHeader: string | undefined): TokenAnswer {
    const params = new URLSearchParams(rawBody);
    const scope = params.get('scope') ?? '';
    const answer = this.issue(base, params, scope, dpopHeader);
    this.tokenRequests.push({ clientId: safeClaims(params.get('client_assertion'))?.iss as string | undefined, scope, dpop: !!dpopHeader, status: answer.status });
    return answer;
  }

  /** Null when the access token may call an endpoint needing `scope`; otherwise the refusal. */
  check(authorization: string, dpopProof: string | undefined, method: string, url: string, scope: string): TokenAnswer | null {
    const [scheme, value] = splitAuth(authorization);
    const token = value ? this.tokens.get(value) : undefined;
    if (!token || token.expiresAt < Date.now()) return invalidToken();
    if (scheme === 'Bearer' && token.dpopJkt) return invalidToken();
    if (scheme === 'DPoP') {
      if (!token.dpopJkt || !dpopProof) return invalidToken();
      const proof = verifyProof(dpopProof, method, url);
      const ath = createHash('sha256').update(value ?? '').digest('base64url');
      if (!proof || proof.jkt !== token.dpopJkt || proof.claims.ath !== ath) return invalidToken();
    } else if (scheme !== 'Bearer') {
      return invalidToken();
    }
    if (!token.scopes.has(scope)) {
      return {
        status: 403,
        body: { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action', errorLink: 'E0000006', errorId: 'oaefake', errorCauses: [] },
        headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
      };
    }
    return null;
  }

  private issue(base: string, params: URLSearchParams, scope: string, dpopHeader: string | undefined): TokenAnswer {
    if (params.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'The grant type is not supported.');
    if (params.get('client_assertion_type') !== JWT_BEARER) return oauthError(401, 'invalid_client', 'Client authentication failed.');
    const assertion = params.get('client_assertion') ?? '';
    const claims = safeClaims(assertion);
    const client = claims ? this.clients.get(String(claims.iss)) : undefined;
    if (!claims || !client || !verifyJws(assertion, client.key)) return oauthError(401, 'invalid_client', 'The client_assertion signature is invalid.');
    if (claims.sub !== claims.iss || claims.aud !== `${base}/oauth2/v1/token` || Number(claims.exp) * 1000 < Date.now()) {
      return oauthError(401, 'invalid_client', 'The client_assertion token is invalid.');
    }
    const requested = scope.split(' ').filter(Boolean);
    const refused = requested.filter((s) => !client.scopes.has(s));
    if (!requested.length || refused.length) return oauthError(400, 'invalid_scope', `The following scopes are not allowed: ${refused.join(', ')}`);
    let jkt: string | undefined;
    if (this.requireDpop) {
      const proof = dpopHeader ? verifyProof(dpopHeader, 'POST', `${base}/oauth2/v1/token`) : null;
      if (!proof) return oauthError(400, 'invalid_dpop_proof', 'The DPoP proof JWT is missing or invalid.');
      if (proof.claims.nonce !== this.nonce) {
        return { ...oauthError(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.'), headers: { 'DPoP-Nonce': this.nonce } };
      }
      jkt = proof.jkt;
    }
    const accessToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, { scopes: new Set(requested), dpopJkt: jkt, expiresAt: Date.now() + 3_600_000 });
    return { status: 200, body: { token_type: jkt ? 'DPoP' : 'Bearer', expires_in: 3600, access_token: accessToken, scope: requested.join(' ') } };
  }
}

function oauthError(status: number, error: string, description: string): TokenAnswer {
  return { status, body: { error, error_description: description } };
}

function invalidToken(): TokenAnswer {
  return {
    status: 401,
    body: { errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorId: 'oaefake', errorCauses: [] },
    headers: { 'WWW-Authenticate': 'Bearer authorization_uri="", realm="IDX", scope="", error="invalid_token"' },
  };
}

function splitAuth(header: string): [string, string | undefined] {
  const i = header.indexOf(' ');
  return i < 0 ? [header, undefined] : [header.slice(0, i), header.slice(i + 1)];
}

function toKey(key: string | JsonWebKey | KeyObject): KeyObject {
  if (typeof key === 'string') return createPublicKey(key);
  if ('asymmetricKeyType' in key) return key as KeyObject;
  return createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
}

function decodePart(part: string | undefined): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function safeClaims(jwt: string | null): Record<string, unknown> | null {
  return jwt ? decodePart(jwt.split('.')[1]) : null;
}

function verifyJws(jwt: string, key: KeyObject): boolean {
  const [h, p, s] = jwt.split('.');
  const header = decodePart(h);
  if (!header || !p || !s) return false;
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  try {
    if (header.alg === 'RS256') return verify('sha256', data, key, sig);
    if (header.alg === 'ES256') return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false;
  }
  return false;
}

/** RFC 9449 proof: signed by the key in its own header, for this method and URL (no query). */
function verifyProof(proof: string, method: string, url: string): { claims: Record<string, unknown>; jkt: string } | null {
  const header = decodePart(proof.split('.')[0]);
  const claims = safeClaims(proof);
  const jwk = header?.jwk as JsonWebKey | undefined;
  if (!header || !claims || header.typ !== 'dpop+jwt' || !jwk) return null;
  if (!verifyJws(proof, createPublicKey({ key: jwk, format: 'jwk' }))) return null;
  if (String(claims.htm).toUpperCase() !== method.toUpperCase() || claims.htu !== url.split('?')[0]) return null;
  if (Math.abs(Number(claims.iat) * 1000 - Date.now()) > 300_000) return null;
  return { claims, jkt: thumbprint(jwk) };
}

function thumbprint(jwk: JsonWebKey): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}
