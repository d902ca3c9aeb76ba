import type { Deps } from '../../deps.js';
import { findRoles } from '../people/person-roles.js';
import { findCampaignProgress, type CampaignProgress } from './find-campaign-progress.js';
import { findMfaCoverage, type MfaCoverage } from './find-mfa-coverage.js';
import { findOpenTasks, type OpenTasks } from './find-open-tasks.js';
import { findPendingApprovals, type PendingApprovals } from './find-pending-approvals.js';
import { findPendingReviews, type PendingReviewGroup } from './find-pending-reviews.js';

export interface WaitingWork {
  reviews: PendingReviewGroup[];
  tasks: OpenTasks;
  approvals: PendingApprovals;
  /** Compliance only: open campaigns' progress by reviewer (absent or empty for everyone else). */
  campaigns?: { items: CampaignProgress[]; total: number };
  /** Compliance only: usable accounts without MFA (absent for everyone else). */
  mfa?: MfaCoverage | undefined;
}

/**
 * No surface shows more than 100 rows of a list (a Home tab holds 100 blocks), so fetching more
 * would only cost time; totals are still exact.
 */
const LIST_LIMIT = 100;

/** What is waiting for one person: reviews to decide, tasks to carry out, requests to approve. */
export async function getWaitingWork(deps: Pick<Deps, 'db' | 'clock'>, personId: string): Promise<WaitingWork> {
  // Sequential on purpose: PGlite is a single connection and would serialise them anyway.
  const reviews = await findPendingReviews(deps.db, personId);
  const tasks = await findOpenTasks(deps.db, personId, LIST_LIMIT);
  const approvals = await findPendingApprovals(deps.db, personId, LIST_LIMIT);
  const roles = await findRoles(deps.db, personId, deps.clock.now());
  const campaigns = await findCampaignProgress(deps.db, roles);
  const mfa = await findMfaCoverage(deps.db, roles);
  return { reviews, tasks, approvals, campaigns, ...(mfa ? { mfa } : {}) };
}
