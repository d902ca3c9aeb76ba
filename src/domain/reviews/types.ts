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

/** One routed grant: its snapshot is copied by Postgres when the item is inserted. */
export interface PlannedItem {
  grantId: string;
  reviewerId: string;
  fallbackReason: string | null;
  /** For an account that belongs to no person: whose owner reviews it (see `ItemHints.ownerless`). */
  ownerSource?: OwnerSource | null;
}

export type OwnerSource = 'account' | 'resource' | 'campaign';

/** A reviewer who cannot be reached in Slack, and why: a dry run names each one. */
export interface ReviewerWithoutSlack {
  email: string;
  reason: string;
}

/** Whether the plan's reviewers can get their DMs. */
export interface SlackReach {
  /** Reviewers of this plan linked to a Slack user. */
  linked: number;
  /** People the rule chose who have no Slack user (their items fell back), and reviewers holding items without one. */
  notLinked: ReviewerWithoutSlack[];
}

export interface PlanSummary {
  reviewers: number;
  items: number;
  systems: string[];
  fallbacks: PlanFallback[];
  /** Live grants left out, by reason, across sources. */
  excluded: Record<string, number>;
  provenance: Record<string, SourceProvenance>;
  /** Absent only in summaries built by hand (view tests); every plan has it. */
  slack?: SlackReach;
}

export interface LaunchPlan extends PlanSummary {
  campaignId: string;
  /** Each reviewer of the plan → their Slack user id (null: none yet), for the review DMs. */
  reviewerChannels: Map<string, string | null>;
  slack: SlackReach;
  /** Ids of the people in `slack.notLinked`: who a launch looks up in Slack before routing. */
  withoutChat: string[];
}

/** Who decided, as shown to a later clicker. `personId` null = the system (non-response rule). */
export interface Decider {
  personId: string | null;
  name: string;
  email: string | null;
}
