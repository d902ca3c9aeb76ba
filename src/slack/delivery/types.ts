import type { KnownBlock } from '@slack/types';
import type { Deps } from '../../deps.js';
import type { OutboxRow } from '../../db/schema/index.js';

/** One Slack message: always a fallback `text` (notifications, screen readers), and blocks. */
export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
  /**
   * Slack message metadata of the message's own (e.g. `attest_checkpoint`). A message holds one
   * event type, so the deliverer adds the outbox id and page into this payload instead of
   * posting its own `attest_outbox` metadata.
   */
  metadata?: { event_type: string; event_payload: Record<string, string | number | boolean> };
}

/**
 * What delivering one outbox row means, decided by the renderer of its kind from current data.
 * - `post`: post these messages (a long review is several pages);
 * - `update`: update in place the messages earlier posted under `threadKey` (posting the pages
 *   that did not exist yet, deleting none);
 * - `null` from a renderer: nothing to send (an empty review, a channel not configured).
 */
export interface DeliveryPlan {
  mode: 'post' | 'update';
  /** Messages posted under a key can be updated later (e.g. `review:<campaign>:<reviewer>`). */
  threadKey?: string;
  /** Overrides the row's channel (e.g. the compliance channel). */
  channel?: string;
  messages: RenderedMessage[];
}

export type Renderer = (deps: Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>, row: OutboxRow) => Promise<DeliveryPlan | null>;

/** Outbox kind → renderer. A kind without a renderer is marked failed with a clear error. */
export type RendererRegistry = Record<string, Renderer>;
