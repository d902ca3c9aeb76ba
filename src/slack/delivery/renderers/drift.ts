import { driftThreadKey } from '../../../domain/drift/drift-intents.js';
import { getDriftItem } from '../../../domain/drift/get-drift-item.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { buildDriftFlag, buildDriftMessage } from '../../views/drift-message.js';
import type { Renderer } from '../types.js';
import { payloadIds } from './payload.js';

/**
 * `drift.notice`: the reviewer's DM about one grant that appeared without a request, posted
 * under the item's own thread key so the decision can edit it. Already decided before it went
 * out (a reviewer linked to Slack late): nothing to ask, so nothing is sent.
 */
export const renderDriftNotice: Renderer = async (deps, row) => {
  const { itemId } = payloadIds(row, 'itemId');
  const d = await getDriftItem(deps.db, itemId);
  if (d.decision !== 'pending') return null;
  return { mode: 'post', threadKey: driftThreadKey(itemId), messages: [buildDriftMessage(d, readerZone(d.reviewer.slackTz, deps.config.TZ))] };
};

/** `drift.refresh`: the same DM from current data, edited in place (the buttons give way to the decision). */
export const renderDriftRefresh: Renderer = async (deps, row) => {
  const { itemId } = payloadIds(row, 'itemId');
  const d = await getDriftItem(deps.db, itemId);
  return { mode: 'update', threadKey: driftThreadKey(itemId), messages: [buildDriftMessage(d, readerZone(d.reviewer.slackTz, deps.config.TZ))] };
};

/** `drift.flag`: a privileged grant without a request, to the compliance channel (none configured: dropped). */
export const renderDriftFlag: Renderer = async (deps, row) => {
  const channel = row.channel ?? deps.config.COMPLIANCE_CHANNEL ?? null;
  if (!channel) return null;
  const { itemId } = payloadIds(row, 'itemId');
  return { mode: 'post', channel, messages: [buildDriftFlag(await getDriftItem(deps.db, itemId), deps.config.TZ)] };
};
