import type { AccountStatus, SourceAccount, SourcePerson } from '../types.js';
import type { UserJson } from './wire.js';

const STATUSES: Record<string, AccountStatus> = {
  STAGED: 'staged',
  PROVISIONED: 'provisioned',
  ACTIVE: 'active',
  RECOVERY: 'recovery',
  LOCKED_OUT: 'locked_out',
  PASSWORD_EXPIRED: 'password_expired',
  SUSPENDED: 'suspended',
  DEPROVISIONED: 'deprovisioned',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function date(value: unknown): Date | null {
  const d = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

/**
 * A status Okta adds later maps to `active`: an account we cannot place stays in reviews
 * rather than being treated as unusable.
 */
export function toAccountStatus(raw: string): AccountStatus {
  return STATUSES[raw] ?? 'active';
}

/**
 * `ownerAttribute` (OKTA_ACCOUNT_OWNER_ATTRIBUTE) names the profile attribute that says who
 * answers for a service, bot or shared account. Every Okta user has an email, so the attribute
 * is what marks such an account: a user whose attribute holds an email belongs to no person
 * (`person` null) and is reviewed by that owner. A value that is not an email identifies no one
 * and is ignored (the user stays a person).
 */
export function toSourceAccount(user: UserJson, ownerAttribute: string | null = null): SourceAccount {
  const p = user.profile ?? {};
  const id = user.id;
  const email = text(p.email);
  const login = text(p.login) ?? email ?? id;
  const fullName = [text(p.firstName), text(p.lastName)].filter(Boolean).join(' ');
  const displayName = text(p.displayName) ?? (fullName || null);
  const manager = text(p.manager);
  const rawOwner = ownerAttribute ? text((p as Record<string, unknown>)[ownerAttribute]) : null;
  const owner = rawOwner && EMAIL.test(rawOwner) ? rawOwner.toLowerCase() : null;
  const person: SourcePerson | null = email && !owner
    ? {
        email,
        name: displayName ?? email,
        title: text(p.title),
        department: text(p.department),
        // `manager` is free text in Okta: only an email identifies anyone.
        managerEmail: manager && EMAIL.test(manager) ? manager.toLowerCase() : null,
        managerRef: text(p.managerId),
      }
    : null;
  const rawStatus = String(user.status ?? '');
  return {
    externalId: id,
    system: 'okta',
    login,
    email,
    displayName,
    status: toAccountStatus(rawStatus),
    rawStatus,
    lastLoginAt: date(user.lastLogin),
    person,
    ...(ownerAttribute ? { ownerEmail: owner } : {}),
    attrs: {
      created: date(user.created)?.toISOString() ?? null,
      statusChanged: date(user.statusChanged)?.toISOString() ?? null,
      ...(user.transitioningToStatus ? { transitioningToStatus: user.transitioningToStatus } : {}),
    },
  };
}
