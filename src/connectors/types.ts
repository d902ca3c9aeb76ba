/**
 * The one interface every identity source implements. Nothing above `src/connectors/` knows
 * which provider it talks to, and no SDK type leaves a connector folder.
 */

/** Normalised account status; the provider's own word is kept in `rawStatus`. */
export const ACCOUNT_STATUSES = [
  'staged',
  'provisioned',
  'active',
  'recovery',
  'locked_out',
  'password_expired',
  'suspended',
  'deprovisioned',
  'archived',
] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Statuses in which the account can still be used (or be made usable without an admin). */
export const USABLE_STATUSES: readonly AccountStatus[] = [
  'active',
  'recovery',
  'locked_out',
  'password_expired',
  'provisioned',
];

/** What a source knows about the human behind an account. */
export interface SourcePerson {
  email: string;
  name: string;
  title?: string | null;
  department?: string | null;
  /** Manager by email, when the source has it. */
  managerEmail?: string | null;
  /** Manager by this source's own user id or login (Okta `managerId`), resolved by the engine. */
  managerRef?: string | null;
}

export interface SourceAccount {
  externalId: string;
  /** The system the account lives in: `okta`, `google`, or a file's app name such as `aws`. */
  system: string;
  login: string;
  email: string | null;
  displayName: string | null;
  status: AccountStatus;
  rawStatus: string;
  lastLoginAt: Date | null;
  person: SourcePerson | null;
  /** Who answers for an account that belongs to no person (a service account, a bot, a shared login). */
  ownerEmail?: string | null;
  /**
   * Multi-factor authentication, when this read says: `enrolled` (any factor, or Google's
   * isEnrolledIn2Sv) and `enforced` (Google's isEnforcedIn2Sv). Absent: this read did not look
   * (Okta reads factors in rotation), so what is on record stays.
   */
  mfa?: { enrolled: boolean; enforced?: boolean | null } | null;
  attrs?: Record<string, unknown>;
}

/** One account's multi-factor authentication, read apart from the directory (Okta's factors). */
export interface AccountMfa {
  externalId: string;
  mfa: { enrolled: boolean; enforced?: boolean | null };
}

export type ResourceKind = 'app' | 'group' | 'role';

export interface SourceResource {
  externalId: string;
  system: string;
  kind: ResourceKind;
  name: string;
  privileged: boolean;
  ownerEmail?: string | null;
  attrs?: Record<string, unknown>;
  /**
   * Whether this read listed every holder of the resource. False when the source reports the
   * resource but not who holds it (a listing it skipped or may not make): the engine then keeps
   * the grants it knew and takes none of them as removed, so no removal is "verified" by a list
   * that was never read. Absent means true, the contract of `read` (every list read, or throw);
   * the built-in connectors say so explicitly.
   */
  membersRead?: boolean;
}

export interface SourceGrant {
  accountExternalId: string;
  resourceExternalId: string;
  /** `direct`, or `group:<group external id>` for app access that comes through a group. */
  via: string;
  /** Set for grants that are privileged whatever the resource (an admin role assignment). */
  privileged?: boolean;
}

/**
 * Which whole lists a read covered. The engine takes an account or resource missing from a read
 * as gone from the source (removed, and its removal verified) only when the read listed that
 * kind in full; a source that does not list resources at all (a directory file without a
 * `resource` column) must say so, or its silence reads as every resource deleted.
 */
export interface ReadCoverage {
  accounts: boolean;
  resources: boolean;
}

/** A page of what was read. Pages arrive as they are fetched; the engine never waits for all. */
export interface DirectoryPage {
  accounts?: SourceAccount[];
  resources?: SourceResource[];
  grants?: SourceGrant[];
  /** A list this read does not cover, on any page (a later `true` does not undo a `false`). Absent: covered. */
  coverage?: Partial<ReadCoverage>;
}

/** What the connector can do to a grant or account; the engine makes a manual task for the rest. */
export interface GrantRef {
  accountExternalId: string;
  resourceExternalId: string;
  resourceKind: ResourceKind;
  via: string;
}

export interface ConnectorActions {
  /** Okta: deactivate (or suspend); Google: suspend. */
  deactivateAccount?(accountExternalId: string): Promise<void>;
  suspendAccount?(accountExternalId: string): Promise<void>;
  /** Removes a group membership or a direct app assignment. Throws PermanentError for one held via a group. */
  removeGrant?(grant: GrantRef): Promise<void>;
  /** Adds a group membership (birthright and approved requests). */
  addGroupMembership?(accountExternalId: string, groupExternalId: string): Promise<void>;
}

/** One account as the provider has it right now (not as the last sync saw it). */
export interface AccountState {
  externalId: string;
  status: AccountStatus;
  rawStatus: string;
  login: string;
  email: string | null;
}

export interface Connector extends ConnectorActions {
  /** `okta`, `google` or `file`. */
  readonly source: string;
  /** Streams the whole source. Throws (TransientError / PermanentError) if any page fails. */
  read(signal?: AbortSignal): AsyncIterable<DirectoryPage>;
  /**
   * Reads one account back from the provider, to confirm a signal (an event hook) before acting
   * on it. Null when the provider does not know the account; throws TransientError / PermanentError.
   */
  getAccountStatus?(externalId: string): Promise<AccountState | null>;
  /**
   * For a source that reads MFA per account (Okta's factors, one request each): reads these
   * accounts', paced within the source's limits. The engine calls it after the directory read
   * and chooses whom to ask (the privileged each sync, the others in rotation). An account the
   * source no longer knows is left out. Throws TransientError / PermanentError.
   */
  readMfa?(externalIds: readonly string[], signal?: AbortSignal): AsyncIterable<AccountMfa[]>;
  /** Can `removeGrant` do this one (e.g. not an app assignment held through a group)? */
  canRemove(grant: GrantRef): boolean;
  /** Requests made so far (for benchmarks and progress). */
  stats?(): { requests: number };
}

/** Worth retrying: a timeout, a 5xx, a 429 after the SDK gave up. */
export class TransientError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'TransientError';
  }
}

/** Retrying will not help: 4xx other than 429, a bad credential, a malformed file. */
export class PermanentError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'PermanentError';
  }
}
