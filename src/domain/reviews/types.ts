import type { ItemSnapshot } from '../../db/schema/index.js';

/** A reviewer the rule did not pick first, and why: shown in dry runs and `campaign status`. */
export interface PlanFallback {
  /** The grant id: items have no id until launch. */
  itemKey: string;
  /** The subject's email, or the account login of an orphaned account. */
  person: string;
  resource: string;
  reason: string;
  /** The reviewer's email. */
  reviewer: string;
}

/** Where one source's part of the population came from, stored on the campaign at launch. */
export interface SourceProvenance {
  /** The latest succeeded sync of this source (null: never synced successfully). */
  syncRunId: string | null;
  syncedAt: string | null;
  /** What that sync read. */
  read: { accounts: number; grants: number };
  /** Live grants of this source considered for the campaign. */
  liveGrants: number;
  inScope: number;
  excluded: Record<string, number>;
}

export interface PlannedItem {
  grantId: string;
  reviewerId: string;
  fallbackReason: string | null;
  snapshot: ItemSnapshot;
}

export interface PlanSummary {
  reviewers: number;
  items: number;
  systems: string[];
  fallbacks: PlanFallback[];
  /** Live grants left out, by reason, across sources. */
  excluded: Record<string, number>;
  provenance: Record<string, SourceProvenance>;
}

export interface LaunchPlan extends PlanSummary {
  campaignId: string;
  assignments: PlannedItem[];
}

/** Who decided, as shown to a later clicker. `personId` null = the system (non-response rule). */
export interface Decider {
  personId: string | null;
  name: string;
  email: string | null;
}
