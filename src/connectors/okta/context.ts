import type { Client } from '@okta/okta-sdk-nodejs';
import type { Logger } from 'pino';

/** What the reader and the actions share. */
export interface OktaContext {
  client: Client;
  /** Fan-out per stream; the executor's slots bound the requests actually in flight. */
  width: number;
  logger: Logger;
  /** Group types seen by the last read, so canRemove can refuse memberships Okta does not let us manage. */
  groupTypes: Map<string, string>;
  /** The profile attribute that names the owner of an account of no person; null: not read. */
  accountOwnerAttribute: string | null;
}

/**
 * Largest page each endpoint allows (specs/okta/management-2026.06.3-minimal.yaml; the role
 * assignees list documents only its default, 100, so that is what is asked for).
 */
export const PAGE_SIZE = {
  users: 200,
  groups: 10_000,
  groupMembers: 1000,
  apps: 200,
  appUsers: 500,
  appGroups: 200,
  roleAssignees: 100,
} as const;
