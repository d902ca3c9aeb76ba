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

export function toSourceAccount(user: UserJson): SourceAccount {
  const p = user.profile ?? {};
  const id = user.id;
  const email = text(p.email);
  const login = text(p.login) ?? email ?? id;
  const fullName = [text(p.firstName), text(p.lastName)].filter(Boolean).join(' ');
  const displayName = text(p.displayName) ?? (fullName || null);
  const manager = text(p.manager);
  const person: SourcePerson | null = email
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
    attrs: {
      created: date(user.created)?.toISOString() ?? null,
      statusChanged: date(user.statusChanged)?.toISOString() ?? null,
      ...(user.transitioningToStatus ? { transitioningToStatus: user.transitioningToStatus } : {}),
    },
  };
}
