import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAuthorizationServer, type FakeOAuthClient } from './oauth.js';
import { OktaOrg } from './org.js';
import { DEFAULT_BUCKETS, RateLimiter, type RateDecision, type RateLimitBucket } from './rate-limits.js';
import type { Route, RouteResult } from './route-kit.js';
import { readRoutes } from './routes-read.js';
import { writeRoutes } from './routes-write.js';
import { oktaError } from './wire.js';

export interface FakeOktaOptions {
  org?: OktaOrg;
  /** Accepted as `Authorization: SSWS <token>`; any other token is a 401. */
  apiToken?: string;
  oauthClients?: FakeOAuthClient[];
  /** The token endpoint insists on DPoP-bound tokens (answering `use_dpop_nonce` first). */
  requireDpop?: boolean;
  rateLimits?: { windowSeconds?: number; buckets?: RateLimitBucket[] };
  /** Delay before each answer, to make concurrency visible in wall time. */
  latencyMs?: number;
}

/** Answers a request with `status` instead of serving it. */
export interface Injection {
  status: number;
  /** The Nth request the server receives (1-based, counting every request). */
  nth?: number;
  path?: RegExp | string;
  method?: string;
  /** Let this many matching requests through first. */
  skip?: number;
  /** How many matching requests fail (default: all). */
  times?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  auth: string;
}

export interface FakeOktaStats {
  total: number;
  byPath: Map<string, number>;
  byStatus: Map<number, number>;
  /** Most requests the server was handling at once. */
  maxConcurrent: number;
  log: LoggedRequest[];
}

export interface FakeOkta {
  url: string;
  org: OktaOrg;
  auth: FakeAuthorizationServer;
  stats: FakeOktaStats;
  inject(injection: Injection): void;
  clearInjections(): void;
  /** Requests whose path matches. */
  count(path: RegExp): number;
  resetStats(): void;
  close(): Promise<void>;
}

const routes: Route[] = [...readRoutes, ...writeRoutes];

/** A plain node:http Okta on 127.0.0.1 and a random port, speaking the management API's wire format. */
export async function startFakeOkta(opts: FakeOktaOptions = {}): Promise<FakeOkta> {
  const org = opts.org ?? new OktaOrg();
  const auth = new FakeAuthorizationServer(opts.oauthClients ?? [], opts.requireDpop ?? false);
  const limiter = new RateLimiter(opts.rateLimits?.buckets ?? DEFAULT_BUCKETS, opts.rateLimits?.windowSeconds ?? 60);
  const injections: Array<Injection & { seen: number; used: number }> = [];
  const stats: FakeOktaStats = { total: 0, byPath: new Map(), byStatus: new Map(), maxConcurrent: 0, log: [] };
  let inFlight = 0;
  let base = '';

  const injected = (seq: number, method: string, path: string): Injection | undefined => {
    for (const inj of injections) {
      if (inj.nth !== undefined) {
        if (inj.nth === seq) return inj;
        continue;
      }
      if (inj.method && inj.method !== method) continue;
      if (inj.path && !(typeof inj.path === 'string' ? path === inj.path : inj.path.test(path))) continue;
      inj.seen += 1;
      if (inj.seen <= (inj.skip ?? 0) || inj.used >= (inj.times ?? Infinity)) continue;
      inj.used += 1;
      return inj;
    }
    return undefined;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const seq = ++stats.total;
    const url = new URL(req.url ?? '/', base);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    stats.byPath.set(path, (stats.byPath.get(path) ?? 0) + 1);
    const body = await readBody(req);
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
    const answer = answerFor(seq, method, path, url, body, req);
    stats.byStatus.set(answer.status, (stats.byStatus.get(answer.status) ?? 0) + 1);
    stats.log.push({ method, path, query: url.search, status: answer.status, auth: String(req.headers.authorization ?? '').split(' ')[0] ?? '' });
    send(res, answer);
  };

  const answerFor = (seq: number, method: string, path: string, url: URL, body: string, req: IncomingMessage): RouteResult => {
    const now = Date.now();
    const inj = injected(seq, method, path);
    if (inj) {
      const decision = limiter.take(method, path, now);
      // An injected storm refills at the next second, so a test waits seconds, not a minute.
      if (inj.status === 429) return tooMany({ limit: decision?.limit ?? 1, remaining: 0, reset: Math.floor(now / 1000) + 1, allowed: false });
      return withRate({ status: inj.status, body: oktaError('E0000009', 'Internal Server Error') }, decision);
    }
    if (method === 'POST' && path === '/oauth2/v1/token') {
      const decision = limiter.take(method, path, now);
      if (decision && !decision.allowed) return tooMany(decision);
      return withRate(auth.token(base, body, header(req, 'dpop')), decision);
    }
    const route = routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) return { status: 404, body: oktaError('E0000022', 'The endpoint does not support the provided HTTP method') };
    const refused = authorize(req, method, url, route.scope);
    if (refused) return refused;
    const decision = limiter.take(method, path, now);
    if (decision && !decision.allowed) return tooMany(decision);
    const params = route.pattern.exec(path)?.groups ?? {};
    return withRate(route.handle({ org, base, path, params: { ...params }, query: url.searchParams }), decision);
  };

  const authorize = (req: IncomingMessage, method: string, url: URL, scope: string): RouteResult | null => {
    const authorization = header(req, 'authorization') ?? '';
    if (authorization.startsWith('SSWS ')) {
      if (opts.apiToken !== undefined && authorization === `SSWS ${opts.apiToken}`) return null;
      return { status: 401, body: oktaError('E0000011', 'Invalid token provided') };
    }
    return auth.check(authorization, header(req, 'dpop'), method, `${base}${url.pathname}`, scope);
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    serve(req, res).catch((err: unknown) => {
      send(res, { status: 500, body: oktaError('E0000009', `Internal Server Error: ${String(err)}`) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    org,
    auth,
    stats,
    inject: (injection) => injections.push({ ...injection, seen: 0, used: 0 }),
    clearInjections: () => injections.splice(0),
    count: (path) => stats.log.filter((r) => path.test(r.path)).length,
    resetStats: () => {
      stats.total = 0;
      stats.byPath.clear();
      stats.byStatus.clear();
      stats.maxConcurrent = 0;
      stats.log.splice(0);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function rateHeaders(d: RateDecision): Record<string, string> {
  return { 'X-Rate-Limit-Limit': String(d.limit), 'X-Rate-Limit-Remaining': String(d.remaining), 'X-Rate-Limit-Reset': String(d.reset) };
}

function withRate(result: RouteResult, d: RateDecision | undefined): RouteResult {
  return d ? { ...result, headers: { ...rateHeaders(d), ...result.headers } } : result;
}

function tooMany(d: RateDecision): RouteResult {
  return { status: 429, body: oktaError('E0000047', 'API call exceeded rate limit due to too many requests.'), headers: rateHeaders(d) };
}

function send(res: ServerResponse, answer: RouteResult): void {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.setHeader('X-Okta-Request-Id', `req${Math.random().toString(36).slice(2, 14)}`);
  if (answer.body === undefined) {
    res.writeHead(answer.status).end();
    return;
  }
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}
