import { createCampaign, type CreateCampaignInput } from '../../src/domain/reviews/create-campaign.js';
import { launchCampaign } from '../../src/domain/reviews/launch-campaign.js';
import type { testDeps } from '../helpers/deps.js';

/** A draft campaign due at the end of the year, owned by the first admin unless told otherwise. */
export function draftCampaign(deps: ReturnType<typeof testDeps>, overrides: Partial<CreateCampaignInput> = {}) {
  return createCampaign(deps, { name: 'Q4 2026 access review', dueAt: '2026-12-31', actor: 'test', ...overrides });
}

/** A launched campaign, for tests about what happens after launch. */
export async function launchedCampaign(deps: ReturnType<typeof testDeps>, overrides: Partial<CreateCampaignInput> = {}) {
  const c = await draftCampaign(deps, overrides);
  const res = await launchCampaign(deps, { campaignId: c.id, actor: 'test' });
  return res.campaign;
}
