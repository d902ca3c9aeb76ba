import { share, type ControlFigures } from './types.js';

/**
 * The measure of each control the digest and the report lead with. Shares are percentages
 * (null: nothing to measure); counts are counts. The trend compares these, so both places
 * call a change the same way.
 */
export interface ControlHeadlines {
  mfaShare: number | null;
  privilegedWithoutMfa: number;
  approvedShare: number | null;
  unapprovedOpen: number;
  leavers: number;
  lateRemovals: number;
  awaitingVerification: number;
  onScheduleShare: number | null;
  overdueReviewers: number;
}

export function headlines(f: ControlFigures): ControlHeadlines {
  return {
    mfaShare: share(f.mfa.enrolled, f.mfa.active),
    privilegedWithoutMfa: f.mfa.privilegedWithout,
    approvedShare: share(f.provisioning.approved, f.provisioning.newGrants),
    unapprovedOpen: f.provisioning.unapprovedOpen,
    leavers: f.removals.leavers,
    lateRemovals: f.removals.late,
    awaitingVerification: f.removals.awaitingVerification,
    onScheduleShare: share(f.reviews.onSchedule, f.reviews.campaigns),
    overdueReviewers: f.reviews.overdueReviewers,
  };
}

/** Change since the previous figures, per headline (null: no previous digest, or nothing to compare). */
export type ControlTrend = { [K in keyof ControlHeadlines]: number | null };

export function trendSince(current: ControlFigures, previous: ControlFigures | null): ControlTrend | null {
  if (!previous) return null;
  const now = headlines(current);
  const then = headlines(previous);
  const out = {} as ControlTrend;
  for (const k of Object.keys(now) as (keyof ControlHeadlines)[]) {
    const a = now[k];
    const b = then[k];
    out[k] = a === null || b === null ? null : Math.round((a - b) * 10) / 10;
  }
  return out;
}
