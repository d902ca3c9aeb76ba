import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROUTES, type RouteResult } from './google/directory-routes.js';
import { DirectoryStore } from './google/directory-store.js';
import { googleError } from './google/google-errors.js';
import { generateServiceAccount, writeKeyFile, type ServiceAccountKeys } from './google/service-account.js';
import { answerTokenRequest, type IssuedToken } from './google/token-endpoint.js';

export { DirectoryStore, NEVER, type FakeUser, type FakeGroup, type FakeMember } from './google/directory-store.js';

const ALL_SCOPES = [
  'user.readonly',
  'group.readonly',
  'group.member.readonly',
  'user',
  'group.member',
].map((s) => `https://www.googleapis.com/auth/admin.directory.${s}`);

/** Make requests fail on purpose: from the `nth` request that matches, `times` times. */
export interface FailureRule {
  status: number;
  /** `token`, an operation such as `members.list`, or a pathname pattern. */
  op?: string;
  path?: RegExp;
  nth?: number;
  times?: number;
  retryAfterSeconds?: number;
}

export interface FakeGoogleOptions {
  keys: ServiceAccountKeys;
  subjects: string[];
  authorisedScopes?: string[];
  /** Added to every API answer, so concurrency can be observed. */
  latencyMs?: number;
}

export interface FakeGoogle {
  /** The API root to give as `apiUrl` (`GOOGLE_API_URL`). */
  url: string;
  tokenUri: string;
  store: DirectoryStore;
  /** Requests per operation (`token`, `users.list`, …), counted before any injected failure. */
  counts: Record<string, number>;
  /** Most requests of one operation in flight at once. */
  peakInFlight: Record<string, number>;
  log: { method: string; op: string; path: string; query: URLSearchParams; status: number }[];
  issued: IssuedToken[];
  fail(rule: FailureRule): void;
  /** Every token stops working, as after a key rotation; the next call gets 401. */
  revokeTokens(): void;
  apiRequests(): number;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

function send(res: ServerResponse, r: RouteResult, headers: Record<string, string> = {}) {
  if (r.body === undefined) {
    res.writeHead(r.status, headers).end();
    return;
  }
  res.writeHead(r.status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(r.body));
}

/** Google's token endpoint and Admin SDK Directory API on 127.0.0.1 and a random port. */
export async function startFakeGoogle(opts: FakeGoogleOptions): Promise<FakeGoogle> {
  const store = new DirectoryStore();
  const tokens = new Map<string, IssuedToken>();
  const rules: (FailureRule & { seen: number; left: number })[] = [];
  const inFlight: Record<string, number> = {};
  let tokenUri = ''; // known once the port is
  const fake = {
    store,
    counts: {} as Record<string, number>,
    peakInFlight: {} as Record<string, number>,
    log: [] as FakeGoogle['log'],
    issued: [] as IssuedToken[],
  };

  const injected = (op: string, path: string): RouteResult & { retryAfter?: number } | undefined => {
    for (const rule of rules) {
      if (rule.op !== undefined && rule.op !== op) continue;
      if (rule.path !== undefined && !rule.path.test(path)) continue;
      rule.seen += 1;
      if (rule.seen >= (rule.nth ?? 1) && rule.left > 0) {
        rule.left -= 1;
        return { status: rule.status, body: googleError(rule.status), retryAfter: rule.retryAfterSeconds };
      }
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const route = url.pathname === '/token' ? undefined : ROUTES.find((r) => r.methods.includes(method) && r.pattern.test(url.pathname));
    const op = url.pathname === '/token' ? 'token' : (route?.op ?? 'unknown');
    fake.counts[op] = (fake.counts[op] ?? 0) + 1;
    const reply = (r: RouteResult, headers?: Record<string, string>) => {
      fake.log.push({ method, op, path: url.pathname, query: url.searchParams, status: r.status });
      send(res, r, headers);
    };

    const failure = injected(op, url.pathname);
    if (failure) {
      return reply(failure, failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {});
    }
    if (op === 'token') {
      if (method !== 'POST') return reply({ status: 405, body: { error: 'invalid_request' } });
      const answer = answerTokenRequest(new URLSearchParams(raw), {
        publicKey: opts.keys.publicKey,
        clientEmail: opts.keys.clientEmail,
        tokenUri,
        subjects: opts.subjects,
        authorisedScopes: opts.authorisedScopes ?? ALL_SCOPES,
      });
      if (answer.issued) {
        tokens.set(answer.issued.token, answer.issued);
        fake.issued.push(answer.issued);
      }
      return reply({ status: answer.status, body: answer.body });
    }
    if (!route) return reply({ status: 404, body: googleError(404, 'Not Found', 'notFound') });

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ? tokens.get(bearer) : undefined;
    if (!token || token.expiresAt < Date.now()) {
      return reply({ status: 401, body: googleError(401) }, { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' });
    }
    if (!route.scopes.some((s) => token.scopes.includes(s))) return reply({ status: 403, body: googleError(403) });

    inFlight[op] = (inFlight[op] ?? 0) + 1;
    fake.peakInFlight[op] = Math.max(fake.peakInFlight[op] ?? 0, inFlight[op]);
    try {
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
      let body: Record<string, unknown> = {};
      if (raw) {
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          return reply({ status: 400, body: googleError(400, 'Invalid JSON payload received.', 'parseError') });
        }
      }
      const params = (route.pattern.exec(url.pathname) ?? []).slice(1).map((p) => decodeURIComponent(p));
      return reply(route.handle(params, url.searchParams, body, store));
    } finally {
      inFlight[op] -= 1;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, { status: 500, body: googleError(500, String(err)) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const root = `http://127.0.0.1:${port}/`;
  tokenUri = `${root}token`;

  return Object.assign(fake, {
    url: root,
    tokenUri,
    fail: (rule: FailureRule) => void rules.push({ ...rule, seen: 0, left: rule.times ?? 1 }),
    revokeTokens: () => tokens.clear(),
    apiRequests: () => Object.entries(fake.counts).reduce((n, [op, c]) => (op === 'token' ? n : n + c), 0),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  });
}

/** A fake plus a key file whose `token_uri` points at it: what a test needs to build the connector. */
export async function startFakeGoogleWithKey(dir: string, opts: Omit<FakeGoogleOptions, 'keys'> & { keys?: ServiceAccountKeys }) {
  const keys = opts.keys ?? generateServiceAccount();
  const fake = await startFakeGoogle({ ...opts, keys });
  return { fake, keys, keyFile: writeKeyFile(dir, keys, fake.tokenUri) };
}
