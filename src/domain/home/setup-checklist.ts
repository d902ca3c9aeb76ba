import type { Clock } from '../../clock.js';
import type { DoctorReport } from '../doctor/types.js';

/** The doctor's checks as App Home shows them to compliance. */
export interface SetupChecklist {
  report: DoctorReport;
  checkedAt: Date;
  /** Identity sources are not read from Home (a page read per open costs API quota). */
  sourcesSkipped: boolean;
}

/**
 * Every Home open by a compliance person would otherwise call Slack and the database once per
 * check: the result is kept in this process for `ttlMs`, and opens that arrive while a run is in
 * flight share it.
 */
export function cachedSetupChecklist(clock: Clock, ttlMs: number, run: () => Promise<DoctorReport>): () => Promise<SetupChecklist> {
  let kept: { at: number; value: Promise<SetupChecklist> } | undefined;
  return () => {
    const now = clock.now().getTime();
    if (kept && now - kept.at < ttlMs) return kept.value;
    const value = run().then((report) => ({ report, checkedAt: new Date(now), sourcesSkipped: true }));
    const entry = { at: now, value };
    kept = entry;
    // A run that throws is not kept: the next open tries again.
    value.catch(() => {
      if (kept === entry) kept = undefined;
    });
    return value;
  };
}
