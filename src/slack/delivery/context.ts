import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../deps.js';
import type { DeliveryProgress } from '../../domain/outbox/delivery-progress.js';
import type { OutboxRow } from '../../db/schema/index.js';
import type { Lease } from './lease.js';
import type { Pacer } from './pacer.js';
import type { RendererRegistry } from './types.js';

/** What every delivery in one worker shares. */
export interface DeliveryContext {
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>;
  /** Must reject rate-limited calls (see `deliveryClient`): the outbox reschedules, the client must not sleep. */
  slack: WebClient;
  renderers: RendererRegistry;
  pacer: Pacer;
  /** Aborted on stop: waits for a rate-limit slot end, calls already made finish. */
  signal: AbortSignal;
  lockMs: number;
  maxAttempts: number;
  /** How many recent messages of a conversation are searched for a send that may have landed. */
  historyLimit: number;
  backoffMs(attempt: number): number;
}

/** One attempt at one claimed row. */
export interface Attempt {
  row: OutboxRow;
  lease: Lease;
  progress: DeliveryProgress;
  /** A previous attempt may have posted without hearing back: look in history before posting. */
  inDoubt: boolean;
  /** Pages found in history by this attempt's look-up (done once, when first needed). */
  found?: Map<number, { channel: string; ts: string }>;
  /** A chat.postMessage is (or was, when it threw) in flight. */
  posting: boolean;
}
