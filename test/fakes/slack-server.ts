import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildMethods } from './slack/methods.js';
import { fail, type Result } from './slack/method-types.js';
import { bearerToken, parseBody, readRaw, type Body } from './slack/parse-body.js';
import { RateLimiter, SLACK_RATE_LIMITS, type RateRule } from './slack/rate-limits.js';
import { SlackState, type FakeUser } from './slack/state.js';
import { manifestBotScopes, unauthenticated } from './slack/manifest-scopes.js';
import { FakeSocketMode } from './slack/socket-mode.js';

export type { FakeUser, StoredMessage, StoredView } from './slack/state.js';
export { SLACK_RATE_LIMITS, type RateRule } from './slack/rate-limits.js';
export type { FakeSocketMode, SocketAck, EnvelopeType } from './slack/socket-mode.js';

export interface FakeSlackOptions {
  users?: FakeUser[];
  /** When given, only these channels exist (DMs and user ids always do). */
  channels?: string[];
  latencyMs?: number;
  /** `true`: Slack's published limits (SLACK_RATE_LIMITS); or your own rules. Off by default. */
  rateLimits?: boolean | RateRule[];
  /** users.list never returns more than this per page, whatever `limit` asks. */
  maxPageSize?: number;
  /** Tokens accepted; default any `xox…` token. */
  tokens?: string[];
  /** The bot token's scopes (sent as `x-oauth-scopes`); default what slack-manifest.yaml asks for. */
  scopes?: string[];
  /** Channels that exist but the bot has not been invited to. */
  notInChannels?: string[];
  /** App-level tokens apps.connections.open accepts (Socket Mode); default any `xapp-` token. */
  appTokens?: string[];
}

export interface RecordedCall {
  /** A Web API method, or `response_url` / `upload` for those endpoints. */
  method: string;
  body: Body;
  token: string | undefined;
  contentType: string;
  /** The key of a response_url or the file id of an upload. */
  key?: string;
  status: number;
  response: unknown;
  at: number;
}

/** One scripted failure. `error: 'ratelimited'` answers HTTP 429 with Retry-After, as Slack does. */
export interface Injection {
  error?: string;
  status?: number;
  retryAfter?: number;
  /** How many calls it affects (default 1; Infinity for all). */
  times?: number;
  match?: (body: Body) => boolean;
  latencyMs?: number;
}

export interface FakeSlack {
  /** http://127.0.0.1:port */
  readonly url: string;
  /** What SLACK_API_URL should be: `${url}/api/`. */
  readonly apiUrl: string;
  readonly state: SlackState;
  readonly calls: RecordedCall[];
  /** Socket Mode: apps.connections.open and the WebSocket it points to; push envelopes here. */
  readonly socket: FakeSocketMode;
  callsTo(method: string): RecordedCall[];
  /** Resolves with the first call (already made or to come) to `method` that matches. */
  waitFor(method: string, match?: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  inject(method: string | '*', injection: Injection): void;
  clearInjections(): void;
  setLatency(ms: number): void;
  setRateLimits(rules: boolean | RateRule[]): void;
  /** A response_url for a slash command or action payload; calls to it are recorded. */
  responseUrl(key?: string): string;
  /** Forgets calls and injections (the workspace's users and messages stay). */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const state = new SlackState();
  state.users = [...(opts.users ?? [])];
  if (opts.channels) state.channels = new Set(opts.channels);
  state.scopes = opts.scopes ?? manifestBotScopes();
  for (const c of opts.notInChannels ?? []) state.outsideChannels.add(c);
  const calls: RecordedCall[] = [];
  const events = new EventEmitter();
  let injections: (Injection & { method: string; left: number })[] = [];
  let latencyMs = opts.latencyMs ?? 0;
  let limiter = new RateLimiter(rulesOf(opts.rateLimits));
  const socket = new FakeSocketMode({ appId: state.bot.appId, ...(opts.appTokens ? { appTokens: opts.appTokens } : {}) });
  const methods = buildMethods(() => opts.maxPageSize ?? 1000, socket);
  let baseUrl = '';

  const record = (c: Omit<RecordedCall, 'at'>) => {
    const call = { ...c, at: Date.now() };
    calls.push(call);
    events.emit('call', call);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const contentType = String(req.headers['content-type'] ?? '');
    const raw = await readRaw(req);
    const [, area = '', name = ''] = url.pathname.split('/');
    if (area === 'upload' && state.files.has(name)) {
      // Slack's upload URL takes the bytes raw or as a multipart form, and answers 200 when the
      // upload worked, anything else when not (files.getUploadURLExternal's usage notes).
      const token = bearerToken(req.headers.authorization, {});
      // Only an injection aimed at `upload` itself: a '*' one is about Web API methods.
      const injected = injections.some((x) => x.method === 'upload') ? takeInjection('upload', {}) : undefined;
      if (injected && (injected.status ?? 500) !== 200) {
        const status = injected.status ?? 500;
        record({ method: 'upload', key: name, body: {}, token, contentType, status, response: 'error' });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`error: ${injected.error ?? 'upload_failed'}`);
        return;
      }
      // Only a multipart form has framing to take off; any other body is the file's bytes as sent
      // (the WebClient posts a Buffer under its default form content type), never parsed as a form.
      const multipart = contentType.toLowerCase().startsWith('multipart/form-data');
      const body = multipart ? await parseBody(raw, contentType) : {};
      const file = Object.values(body).find((v) => Buffer.isBuffer(v)) as Buffer | undefined;
      state.files.get(name)!.content = file ?? raw;
      record({ method: 'upload', key: name, body: {}, token, contentType, status: 200, response: 'OK' });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${(file ?? raw).length}`);
      return;
    }
    if (area === 'response') {
      const body = await parseBody(raw, contentType);
      record({ method: 'response_url', key: name, body, token: undefined, contentType, status: 200, response: 'ok' });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (area !== 'api') {
      res.writeHead(404).end();
      return;
    }
    const body = { ...Object.fromEntries(url.searchParams), ...(await parseBody(raw, contentType)) };
    const token = bearerToken(req.headers.authorization, body);
    const injection = takeInjection(name, body);
    const delay = injection?.latencyMs ?? latencyMs;
    if (delay > 0) await sleep(delay);
    const { status, result, headers } = answer(name, body, token, injection);
    record({ method: name, body, token, contentType, status, response: result });
    // Slack reports a bot token's scopes on every answer to it (the WebClient exposes them).
    const scopes = token?.startsWith('xapp-') || unauthenticated(result) ? {} : { 'x-oauth-scopes': state.scopes.join(',') };
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers, ...scopes }).end(JSON.stringify(result));
  }

  function takeInjection(method: string, body: Body) {
    const i = injections.find((x) => (x.method === method || x.method === '*') && (x.match?.(body) ?? true));
    if (!i) return undefined;
    i.left -= 1;
    if (i.left <= 0) injections = injections.filter((x) => x !== i);
    return i;
  }

  function answer(method: string, body: Body, token: string | undefined, injection: Injection | undefined) {
    const json = (result: Result, status = 200, headers: Record<string, string> = {}) => ({ status, result, headers });
    const handler = methods[method];
    if (!handler) return json(fail('unknown_method'));
    if (!token) return json(fail('not_authed'));
    // App-level tokens open Socket Mode connections and nothing else; that method takes no other.
    const appLevel = method === 'apps.connections.open';
    if (appLevel !== token.startsWith('xapp-')) return json(fail('not_allowed_token_type'));
    if (appLevel ? !socket.acceptsToken(token) : opts.tokens ? !opts.tokens.includes(token) : !token.startsWith('xox')) return json(fail('invalid_auth'));
    if (injection) {
      if (injection.error === 'ratelimited' || injection.status === 429) {
        return json(fail('ratelimited'), 429, { 'retry-after': String(injection.retryAfter ?? 1) });
      }
      if (injection.status && injection.status !== 200) return json(fail(injection.error ?? 'fatal_error'), injection.status);
      if (injection.error) return json(fail(injection.error));
    }
    const channel = typeof body.channel === 'string' ? state.resolveChannel(body.channel) : undefined;
    const wait = limiter.check(method, channel);
    if (wait !== undefined) return json(fail('ratelimited'), 429, { 'retry-after': String(wait) });
    return json(handler(body, { state, baseUrl }));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    });
  });
  socket.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    state,
    calls,
    socket,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor: (method, match = () => true, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const found = calls.find((c) => c.method === method && match(c));
        if (found) return resolve(found);
        const onCall = (c: RecordedCall) => {
          if (c.method !== method || !match(c)) return;
          clearTimeout(timer);
          events.off('call', onCall);
          resolve(c);
        };
        const timer = setTimeout(() => {
          events.off('call', onCall);
          reject(new Error(`no ${method} call within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(', ') || 'none'}`));
        }, timeoutMs);
        events.on('call', onCall);
      }),
    inject: (method, injection) => injections.push({ ...injection, method, left: injection.times ?? 1 }),
    clearInjections: () => {
      injections = [];
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setRateLimits: (rules) => {
      limiter = new RateLimiter(rulesOf(rules));
    },
    responseUrl: (key = state.nextId('R')) => `${baseUrl}/response/${key}`,
    reset: () => {
      calls.length = 0;
      injections = [];
      limiter.reset();
    },
    close: () =>
      new Promise<void>((resolve) => {
        socket.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function rulesOf(r: boolean | RateRule[] | undefined): RateRule[] {
  if (r === true) return SLACK_RATE_LIMITS;
  return Array.isArray(r) ? r : [];
}
