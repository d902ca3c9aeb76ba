import { getControlDigest } from '../../../domain/controls/write-control-digest.js';
import { buildControlDigestMessage } from '../../views/control-digest.js';
import type { Renderer } from '../types.js';
import { payloadIds } from './payload.js';

/** `controls.digest`: the figures, read back from their evidence event with the digest before it, to the compliance channel. */
export const renderControlDigest: Renderer = async (deps, row) => {
  const channel = row.channel ?? deps.config.COMPLIANCE_CHANNEL ?? null;
  if (!channel) return null;
  const { seq } = payloadIds(row, 'seq');
  const digest = await getControlDigest(deps.db, Number(seq));
  return { mode: 'post', channel, messages: [buildControlDigestMessage(digest)] };
};
