/**
 * The figures of the weekly control digest and of report.html's "Controls over the period",
 * for one period [from, to). Plain numbers only: they are stored as they are in the
 * `controls.digest` evidence event, and the next digest's trend is read back from it.
 */
export interface ControlFigures {
  from: string;
  to: string;
  /** CC6.1: active (usable) accounts as last synced, by what the source says about MFA. */
  mfa: { active: number; enrolled: number; notEnrolled: number; unknown: number; privilegedWithout: number };
  /**
   * CC6.2: grants first seen in the period (a source's baseline excluded), those with an
   * approval behind them (a granting request, a birthright template, a campaign decision), and
   * unapproved grants still undecided in `drift` campaigns.
   */
  provisioning: { newGrants: number; approved: number; unapprovedOpen: number };
  /**
   * CC6.3: offboarding cases that took effect in the period, how many were fully removed (and
   * verified by a sync) within the SLA, past it, or not yet; hours to full removal of each
   * removed one; revocations carried out or under way but not yet seen gone by a sync.
   */
  removals: { leavers: number; withinSla: number; late: number; open: number; slaHours: number; hours: number[]; awaitingVerification: number };
  /** Campaigns open or closed in the period (drift campaigns aside), and reviewers past due. */
  reviews: { campaigns: number; onSchedule: number; overdueReviewers: number; overdueItems: number };
}

/** A ratio as a whole percentage, or null when there is nothing to divide. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
