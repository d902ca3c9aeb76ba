import { RequestExecutor } from '@okta/okta-sdk-nodejs';
import type { Logger } from 'pino';
import { Slots } from './concurrency.js';
import { sleep } from '../sleep.js';
import { RateGate, bucketKey, type HeaderSource } from './rate-gate.js';

/** The request the SDK hands its executor (node-fetch options plus the URL). */
interface SdkRequest {
  url?: string;
  method?: string;
  httpMethod?: string;
  timeout?: number;
}

interface SdkResponse {
  status: number;
  headers: HeaderSource;
  text(): Promise<string>;
}

export interface PacedExecutorOptions {
  maxInFlight: number;
  /** Retries of a 429, each after the announced reset (the SDK's own default is 2). */
  maxRetries: number;
  requestTimeoutMs: number;
  logger: Logger;
}

const SERVER_ERROR_RETRIES = 2;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/**
 * Replaces the SDK's DefaultRequestExecutor (which only retries 429, twice) so that every request
 * of the connector, the token request included: waits for a free slot (at most `maxInFlight` at
 * once), waits for the rate-limit budget, and is retried after a 429 once the bucket resets,
 * and after a 5xx or a network error when repeating it is harmless.
 */
export class PacedRequestExecutor extends RequestExecutor {
  requests = 0;
  private readonly slots: Slots;
  private readonly gate = new RateGate();

  constructor(private readonly opts: PacedExecutorOptions) {
    super();
    this.slots = new Slots(opts.maxInFlight);
  }

  override async fetch(request: SdkRequest): Promise<SdkResponse> {
    const url = request.url ?? '';
    const key = bucketKey(url);
    const method = String(request.method ?? request.httpMethod ?? 'GET').toUpperCase();
    const repeatable = IDEMPOTENT.has(method) || url.endsWith('/oauth2/v1/token');
    request.timeout = this.opts.requestTimeoutMs;
    let limited = 0;
    let failed = 0;
    for (;;) {
      await this.admit(key);
      let res: SdkResponse;
      try {
        this.requests += 1;
        res = await super.fetch(request);
      } catch (err) {
        this.gate.finished(key, undefined, Date.now());
        this.slots.release();
        if (!repeatable || failed >= SERVER_ERROR_RETRIES) throw err;
        failed += 1;
        await sleep(backoff(failed));
        continue;
      }
      this.gate.finished(key, res.headers, Date.now(), res.status === 429);
      this.slots.release();
      if (res.status === 429 && limited < this.opts.maxRetries) {
        limited += 1;
        this.opts.logger.warn({ path: new URL(url).pathname, retry: limited }, 'okta rate limit hit; waiting for reset');
        await res.text().catch(() => '');
        continue;
      }
      if (res.status >= 500 && repeatable && failed < SERVER_ERROR_RETRIES) {
        failed += 1;
        await res.text().catch(() => '');
        await sleep(backoff(failed));
        continue;
      }
      return res;
    }
  }

  /** Takes a slot once the bucket has budget; a slot is never held while waiting for a reset. */
  private async admit(key: string): Promise<void> {
    for (;;) {
      const wait = this.gate.delay(key);
      if (wait > 0) {
        await sleep(wait);
        continue;
      }
      await this.slots.acquire();
      if (this.gate.delay(key) === 0) {
        this.gate.started(key);
        return;
      }
      this.slots.release();
    }
  }
}

function backoff(attempt: number): number {
  return 250 * 2 ** (attempt - 1) + Math.floor(Math.random() * 100);
}
