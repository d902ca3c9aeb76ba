import type { OutboxRow } from '../../../db/schema/index.js';

/**
 * Reads the ids a renderer needs from an outbox payload. A row without them can never render,
 * so this throws a plain error (the deliverer retries and then fails the row with this message).
 */
export function payloadIds<K extends string>(row: Pick<OutboxRow, 'kind' | 'payload'>, ...keys: K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const k of keys) {
    const v = row.payload[k];
    if (typeof v !== 'string' || v === '') throw new Error(`${row.kind}: payload has no ${k}`);
    out[k] = v;
  }
  return out;
}
