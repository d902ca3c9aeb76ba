import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Body } from './parse-body.js';
import { fail, type MethodHandler } from './method-types.js';

/**
 * Socket Mode as Slack speaks it, on the fake's own HTTP server:
 *
 * - `apps.connections.open` (app-level `xapp-` token only; the fake refuses it for any other)
 *   answers `{ok: true, url: "ws://127.0.0.1:<port>/link/?ticket=…&app_id=…"}`. A ticket opens
 *   one connection; an unknown or used one is refused at the upgrade (HTTP 401), as Slack does.
 * - On connect the server sends `{"type":"hello","num_connections":n,"debug_info":{…},
 *   "connection_info":{"app_id":…}}`. The client is "connected" only after the hello.
 * - Tests push envelopes `{envelope_id, type, payload, accepts_response_payload}` (`events_api`
 *   also carries `retry_attempt` and `retry_reason`); `push` resolves with the client's ack
 *   `{envelope_id, payload?}` for that envelope, or rejects when none arrives in time.
 * - Ping frames from the client are answered with pongs (ws does so itself); the server pings
 *   each connection every `pingIntervalMs`, as Slack does, so the client's server-ping watchdog
 *   (30 s by default) stays satisfied once it has seen a first ping.
 * - `disconnect(reason)` sends `{"type":"disconnect","reason":…}` (Slack's "refresh_requested",
 *   "warning", "link_disabled"), after which a client reconnects through apps.connections.open.
 */

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Milliseconds from the push to the ack, as the fake measured them. */
  elapsedMs: number;
}

export interface PushOptions {
  /** How long to wait for the ack (and for a connection, if none is open yet); default 5000. */
  timeoutMs?: number;
  envelopeId?: string;
  acceptsResponsePayload?: boolean;
  retryAttempt?: number;
  retryReason?: string;
}

/** Every frame a client sent that was not an ack of a pushed envelope (for assertions). */
export interface ReceivedFrame {
  at: number;
  data: unknown;
}

export interface SocketModeOptions {
  appId: string;
  /** App-level tokens accepted by apps.connections.open; default any `xapp-` token. */
  appTokens?: string[];
  pingIntervalMs?: number;
}

interface Pending {
  resolve(ack: SocketAck): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  sentAt: number;
}

export class FakeSocketMode {
  /** Open, greeted connections, oldest first. */
  readonly connections: WebSocket[] = [];
  /** Frames clients sent that were not acks of pending envelopes. */
  readonly frames: ReceivedFrame[] = [];
  /** Acks received, in order (also those for envelopes that already timed out). */
  readonly acks: SocketAck[] = [];
  /** How many times apps.connections.open handed out a URL. */
  opened = 0;
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: true });
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly waiters: (() => void)[] = [];
  private readonly pingTimer: NodeJS.Timeout;

  constructor(private readonly opts: SocketModeOptions) {
    this.pingTimer = setInterval(() => {
      for (const ws of this.connections) ws.ping(Buffer.from(`ping ${Date.now()}`));
    }, opts.pingIntervalMs ?? 10_000);
    this.pingTimer.unref();
  }

  /** Accepts the token for apps.connections.open (the fake's token check asks this). */
  acceptsToken(token: string): boolean {
    return this.opts.appTokens ? this.opts.appTokens.includes(token) : token.startsWith('xapp-');
  }

  /** The `apps.connections.open` method handler. */
  readonly connectionsOpen: MethodHandler = (_body: Body, { baseUrl }) => {
    if (!baseUrl) return fail('internal_error');
    const ticket = randomUUID();
    this.tickets.add(ticket);
    this.opened += 1;
    const ws = baseUrl.replace(/^http/, 'ws');
    return { ok: true, url: `${ws}/link/?ticket=${ticket}&app_id=${this.opts.appId}` };
  };

  /** Takes over WebSocket upgrades on `server` (`/link/?ticket=…`). */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (!url.pathname.startsWith('/link') || !this.tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.greet(ws));
    });
  }

  private greet(ws: WebSocket): void {
    this.connections.push(ws);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('close', () => {
      const i = this.connections.indexOf(ws);
      if (i >= 0) this.connections.splice(i, 1);
    });
    ws.on('error', () => ws.terminate());
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.length,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.opts.appId },
      }),
    );
    for (const wake of this.waiters.splice(0)) wake();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const at = Date.now();
    if (isBinary) {
      this.frames.push({ at, data: '<binary>' });
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(rawText(data));
    } catch {
      this.frames.push({ at, data: rawText(data) });
      return;
    }
    const id = (msg as { envelope_id?: unknown }).envelope_id;
    if (typeof id !== 'string') {
      this.frames.push({ at, data: msg });
      return;
    }
    const payload = (msg as { payload?: Record<string, unknown> }).payload;
    const p = this.pending.get(id);
    const ack: SocketAck = { envelope_id: id, ...(payload !== undefined ? { payload } : {}), elapsedMs: p ? at - p.sentAt : -1 };
    this.acks.push(ack);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve(ack);
  }

  /** Resolves once a client holds an open, greeted connection. */
  async waitForConnection(timeoutMs = 5000): Promise<void> {
    if (this.connections.length > 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`no Socket Mode connection within ${timeoutMs} ms (apps.connections.open answered ${this.opened} time(s))`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  /**
   * Sends one envelope on the newest connection (as Slack picks one of an app's connections) and
   * resolves with the client's ack for it.
   */
  async push(type: EnvelopeType, payload: Record<string, unknown>, opts: PushOptions = {}): Promise<SocketAck> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const started = Date.now();
    await this.waitForConnection(timeoutMs);
    const ws = this.connections[this.connections.length - 1]!;
    const envelope: SocketEnvelope = {
      envelope_id: opts.envelopeId ?? randomUUID(),
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? type !== 'events_api',
      ...(type === 'events_api' ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' } : {}),
    };
    const left = Math.max(1, timeoutMs - (Date.now() - started));
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.envelope_id);
        reject(new Error(`no ack for ${type} envelope ${envelope.envelope_id} within ${timeoutMs} ms`));
      }, left);
      this.pending.set(envelope.envelope_id, { resolve, reject, timer, sentAt: Date.now() });
      ws.send(JSON.stringify(envelope), (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(envelope.envelope_id);
        reject(err);
      });
    });
  }

  /** Asks every client to reconnect, as Slack does before recycling a connection. */
  disconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
    for (const ws of this.connections) {
      ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } }));
    }
  }

  close(): void {
    clearInterval(this.pingTimer);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('fake Slack closed'));
    }
    this.pending.clear();
    for (const ws of this.connections.splice(0)) ws.terminate();
    this.wss.close();
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
