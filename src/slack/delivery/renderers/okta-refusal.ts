import { getOktaRefusal } from '../../../domain/evidence/get-okta-refusal.js';
import { buildOktaRefusalMessage } from '../../views/okta-refusal.js';
import type { Renderer } from '../types.js';
import { payloadIds } from './payload.js';

/** `okta.event_refused`: to the compliance channel it was queued for; the facts come from its evidence event. */
export const renderOktaRefusal: Renderer = async (deps, row) => {
  const channel = row.channel ?? deps.config.COMPLIANCE_CHANNEL ?? null;
  if (!channel) return null;
  const { seq } = payloadIds(row, 'seq');
  return { mode: 'post', channel, messages: [buildOktaRefusalMessage(await getOktaRefusal(deps.db, Number(seq)))] };
};
