import type { Deps } from '../../../deps.js';
import { enqueueMessage } from '../../outbox/enqueue-message.js';
import { appendEvidence, lockChainHead } from '../append-evidence.js';
import { signCheckpoint, type Checkpoint } from '../signing/checkpoint.js';
import type { SigningKey } from '../signing/signing-key.js';
import { configuredSigningKey } from './configured-signing-key.js';

/** The evidence action of a checkpoint, and the outbox kind that posts it to the compliance channel. */
export const CHECKPOINT_ACTION = 'evidence.checkpoint';

export interface WriteCheckpointDeps extends Pick<Deps, 'db' | 'clock' | 'config'> {
  /** `serve` loads the key once at start; without it the key is read from ATTEST_SIGNING_KEY. */
  signingKey?: SigningKey;
}

export interface WriteCheckpointInput {
  actor: string;
  /** Write one even when nothing happened since the last, and fail when no key is configured. */
  force?: boolean;
}

/**
 * Signs the chain head and records it: an `evidence.checkpoint` event whose payload is the
 * checkpoint (so it covers the head before its own event), and a message to COMPLIANCE_CHANNEL
 * that puts it outside the database, where rewriting the chain cannot reach it.
 * Null when there is nothing to sign: no key configured (unless forced), an empty log, or (not
 * forced) no event since the last checkpoint.
 */
export async function writeCheckpoint(deps: WriteCheckpointDeps, input: WriteCheckpointInput): Promise<Checkpoint | null> {
  const force = input.force ?? false;
  const key = deps.signingKey ?? (await configuredSigningKey(deps.config, force));
  if (!key) return null;
  return deps.db.transaction(async (tx) => {
    const head = await lockChainHead(tx);
    if (!head || (!force && head.action === CHECKPOINT_ACTION)) return null;
    const now = deps.clock.now();
    const checkpoint = signCheckpoint(key, head, now);
    const [event] = await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: CHECKPOINT_ACTION,
      subject: { seq: String(head.seq) },
      payload: { ...checkpoint },
    });
    const channel = deps.config.COMPLIANCE_CHANNEL;
    // Ids only, as every outbox row: the renderer reads the checkpoint back from its event.
    // enqueueMessage signals the outbox, so `serve` posts it as soon as this commits.
    if (channel && event) {
      await enqueueMessage(tx, now, { kind: CHECKPOINT_ACTION, channel, dedupeKey: `${CHECKPOINT_ACTION}:${event.seq}`, payload: { seq: String(event.seq) } });
    }
    return checkpoint;
  });
}
