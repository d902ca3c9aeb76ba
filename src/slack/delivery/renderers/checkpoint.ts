import { getCheckpoint } from '../../../domain/evidence/checkpoint/get-checkpoint.js';
import { CHECKPOINT_EVENT_TYPE } from '../../read-checkpoints.js';
import { buildCheckpointMessage } from '../../views/checkpoint.js';
import type { Renderer } from '../types.js';
import { payloadIds } from './payload.js';

/**
 * `evidence.checkpoint`: the signed head, read back from its evidence event, to the compliance
 * channel. The metadata is the witness `attest verify --witness` reads: exactly the checkpoint.
 */
export const renderCheckpoint: Renderer = async (deps, row) => {
  const channel = row.channel ?? deps.config.COMPLIANCE_CHANNEL ?? null;
  if (!channel) return null;
  const { seq } = payloadIds(row, 'seq');
  const c = await getCheckpoint(deps.db, Number(seq));
  const metadata = { event_type: CHECKPOINT_EVENT_TYPE, event_payload: { seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId, signature: c.signature } };
  return { mode: 'post', channel, messages: [{ ...buildCheckpointMessage(c), metadata }] };
};
