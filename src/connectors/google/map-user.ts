import type { admin_directory_v1 } from 'googleapis';
import type { AccountStatus, SourceAccount, SourceGrant, SourceResource } from '../types.js';

type GoogleUser = admin_directory_v1.Schema$User;

/**
 * Google has no admin-role list in the read scopes we ask for; `isAdmin` and
 * `isDelegatedAdmin` on the user are what tells us who holds admin power, so each becomes a
 * grant of a synthetic, privileged role resource.
 */
export const SUPER_ADMIN_ROLE: SourceResource = {
  externalId: 'google:super-admin',
  system: 'google',
  kind: 'role',
  name: 'Google Workspace super admin',
  privileged: true,
  // Holders come from users.list (`isAdmin`), which is read in full.
  membersRead: true,
};
export const DELEGATED_ADMIN_ROLE: SourceResource = {
  externalId: 'google:delegated-admin',
  system: 'google',
  kind: 'role',
  name: 'Google Workspace delegated admin',
  privileged: true,
  membersRead: true,
};

interface Organization {
  primary?: boolean;
  department?: string;
  title?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Google reports "never signed in" as the epoch, not as a missing value. */
export function lastLogin(value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) || at.getTime() <= 0 ? null : at;
}

export function statusOf(u: GoogleUser): { status: AccountStatus; rawStatus: string } {
  if (u.archived) return { status: 'archived', rawStatus: 'archived' };
  if (u.suspended) return { status: 'suspended', rawStatus: u.suspensionReason ? `suspended:${u.suspensionReason}` : 'suspended' };
  return { status: 'active', rawStatus: 'active' };
}

function primaryOrganization(orgs: unknown): Organization | undefined {
  if (!Array.isArray(orgs)) return undefined;
  const list = orgs.filter((o): o is Organization => typeof o === 'object' && o !== null);
  return list.find((o) => o.primary) ?? list[0];
}

function managerEmail(relations: unknown): string | null {
  if (!Array.isArray(relations)) return null;
  const manager = relations.find((r) => (r as { type?: unknown })?.type === 'manager') as { value?: unknown } | undefined;
  return str(manager?.value)?.toLowerCase() ?? null;
}

export function mapUser(u: GoogleUser): { account: SourceAccount; grants: SourceGrant[] } | null {
  const id = str(u.id);
  const email = str(u.primaryEmail);
  if (!id || !email) return null;
  const name = str(u.name?.fullName) ?? ([str(u.name?.givenName), str(u.name?.familyName)].filter(Boolean).join(' ') || email);
  const org = primaryOrganization(u.organizations);
  const account: SourceAccount = {
    externalId: id,
    system: 'google',
    login: email,
    email,
    displayName: name,
    ...statusOf(u),
    lastLoginAt: lastLogin(u.lastLoginTime),
    person: { email, name, title: str(org?.title), department: str(org?.department), managerEmail: managerEmail(u.relations) },
    attrs: {
      orgUnitPath: u.orgUnitPath ?? null,
      isAdmin: Boolean(u.isAdmin),
      isDelegatedAdmin: Boolean(u.isDelegatedAdmin),
      isEnrolledIn2Sv: Boolean(u.isEnrolledIn2Sv),
      creationTime: u.creationTime ?? null,
    },
    // Read with the user, no extra request. A listing that leaves the fields out did not say.
    ...(typeof u.isEnrolledIn2Sv === 'boolean'
      ? { mfa: { enrolled: u.isEnrolledIn2Sv, enforced: typeof u.isEnforcedIn2Sv === 'boolean' ? u.isEnforcedIn2Sv : null } }
      : {}),
  };
  const grants: SourceGrant[] = [];
  const grant = (role: SourceResource) => ({ accountExternalId: id, resourceExternalId: role.externalId, via: 'direct', privileged: true });
  if (u.isAdmin) grants.push(grant(SUPER_ADMIN_ROLE));
  if (u.isDelegatedAdmin) grants.push(grant(DELEGATED_ADMIN_ROLE));
  return { account, grants };
}
