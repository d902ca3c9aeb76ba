import { getCampaignStatus } from '../../../domain/reviews/get-campaign-status.js';
import { buildCampaignSummary } from '../../views/campaign-summary.js';
import type { Renderer } from '../types.js';
import { payloadIds } from './payload.js';

/** `campaign.summary`: to the compliance channel queued with it (none configured: nothing to send). */
export const renderCampaignSummary: Renderer = async (deps, row) => {
  const channel = row.channel ?? deps.config.COMPLIANCE_CHANNEL ?? null;
  if (!channel) return null;
  const { campaignId } = payloadIds(row, 'campaignId');
  const status = await getCampaignStatus(deps.db, campaignId);
  return { mode: 'post', channel, messages: [buildCampaignSummary(status, deps.config.TZ)] };
};
