import type { Db } from '../../db/client.js';
import { outbox } from '../../db/schema/index.js';
import { signalWork } from '../work/signal-work.js';
import { addressIntents } from './address-intents.js';
import type { OutboxIntent } from './enqueue-message.js';
import { outboxUndeliverableTotal } from './undeliverable-metrics.js';

const CHUNK = 1000;

/**
 * Many intents at once (one review request per reviewer at launch), in the caller's
 * transaction. Like `enqueueMessage`, a dedupe key already queued is skipped; returns how many
 * rows were actually added, waiting ones (`undeliverable`: no Slack user yet) included.
 */
export async function enqueueMessages(tx: Db, now: Date, intents: OutboxIntent[]): Promise<number> {
  let added = 0;
  let deliverable = 0;
  const waiting = new Map<string, number>();
  for (let i = 0; i < intents.length; i += CHUNK) {
    const values = await addressIntents(tx, now, intents.slice(i, i + CHUNK));
    if (values.length === 0) continue;
    const rows = await tx.insert(outbox).values(values).onConflictDoNothing().returning({ kind: outbox.kind, status: outbox.status });
    added += rows.length;
    for (const r of rows) {
      if (r.status === 'undeliverable') waiting.set(r.kind, (waiting.get(r.kind) ?? 0) + 1);
      else deliverable += 1;
    }
  }
  // One notification per call, not per row: it wakes the worker when this transaction commits.
  if (deliverable > 0) await signalWork(tx, 'outbox');
  // Counted here, where it happens; a transaction that rolls back afterwards is still counted.
  for (const [kind, n] of waiting) outboxUndeliverableTotal.inc({ kind }, n);
  return added;
}
