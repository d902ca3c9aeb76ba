import type { Db } from '../../../db/client.js';
import type { ItemWindow } from '../export/item-window.js';

export type Severity = 'high' | 'medium' | 'low';

/** One row of findings.csv: what is wrong, about whom, and the ids or seqs that show it. */
export interface Finding {
  type: string;
  severity: Severity;
  subject: string;
  detail: string;
  /** `account:<id>`, `item:<id>`, `seq:<n>`…: where an auditor looks to confirm it. */
  evidence: string[];
}

export interface RubberStampThresholds {
  /** Approvals by one reviewer in one campaign before the pace is judged. */
  minApprovals: number;
  /** A median gap between consecutive decisions below this is too fast to have looked. */
  medianSeconds: number;
}

export const DEFAULT_RUBBER_STAMP: RubberStampThresholds = { minApprovals: 20, medianSeconds: 3 };

export interface FindingScope {
  db: Db;
  from: Date;
  to: Date;
  /** Directory state is judged as of now, or the period's end when it is over. */
  asOf: Date;
  /** `kind` and `itemWindow` as resolvePeriod sets them: a standing campaign counts only its items of the period. */
  campaigns: { id: string; name: string; status: string; kind?: string; itemWindow?: ItemWindow | null }[];
  /** The evidence segment of the period (seq range). */
  segment: { firstSeq: number; lastSeq: number; events: number };
  staleLoginDays: number;
  slaHours: number;
  rubberStamp: RubberStampThresholds;
  /** The instant exceptions are judged at (the export's, or now); `asOf` when absent. */
  at?: Date;
  /** DRIFT_DECISION_DAYS: unapproved access left undecided this long is a finding (absent: 7). */
  driftDecisionDays?: number;
  /** A bundle read in chunks: decisions and sign-offs after this instant are not there yet. */
  rowsAsOf?: Date | null;
  /**
   * The undecided_item findings, already read: the export finds them in its one read of every
   * review item (review-items.ts) rather than walking the items again. Absent: the rule queries.
   */
  undecided?: AsyncIterable<Finding>;
}

/** Each rule streams its rows: a rule may match tens of thousands of accounts. */
export type FindingRule = (scope: FindingScope) => AsyncIterable<Finding>;
