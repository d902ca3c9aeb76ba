import type { UserJson } from '../../src/connectors/okta/wire.js';
import { describe, expect, it } from 'vitest';
import { toAccountStatus, toSourceAccount } from '../../src/connectors/okta/map-user.js';
import { ACCOUNT_STATUSES } from '../../src/connectors/types.js';

const user = (fields: Record<string, unknown>): UserJson => fields as unknown as UserJson;

describe('Okta user mapping', () => {
  it('normalises every Okta status into the AccountStatus union', () => {
    const okta = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED', 'DEPROVISIONED'];
    expect(okta.map(toAccountStatus)).toEqual(['staged', 'provisioned', 'active', 'recovery', 'locked_out', 'password_expired', 'suspended', 'deprovisioned']);
    expect(ACCOUNT_STATUSES).toContain(toAccountStatus('SOMETHING_NEW'));
  });

  it('reads the owner of an account of no person from OKTA_ACCOUNT_OWNER_ATTRIBUTE, which makes it no person', () => {
    const svc = (profile: Record<string, unknown>, attribute: string | null = 'accountOwner') =>
      toSourceAccount(user({ id: '00u9', status: 'ACTIVE', profile: { login: 'svc-ci@example.com', email: 'svc-ci@example.com', ...profile } }), attribute);
    expect(svc({ accountOwner: 'Li@Example.com' })).toMatchObject({ person: null, ownerEmail: 'li@example.com', email: 'svc-ci@example.com' });
    // Not an email: it names no one, and the account stays a person's.
    expect(svc({ accountOwner: 'the platform team' })).toMatchObject({ person: { email: 'svc-ci@example.com' }, ownerEmail: null });
    expect(svc({})).toMatchObject({ person: { email: 'svc-ci@example.com' }, ownerEmail: null });
    // Without the variable the attribute is not read at all.
    const plain = svc({ accountOwner: 'li@example.com' }, null);
    expect(plain.person).not.toBeNull();
    expect(plain.ownerEmail).toBeUndefined();
  });

  it('keeps an unknown status visible as active, with the raw word', () => {
    const a = toSourceAccount(user({ id: '00u1', status: 'QUARANTINED', profile: { login: 'x@example.com' } }));
    expect([a.status, a.rawStatus]).toEqual(['active', 'QUARANTINED']);
  });

  it('names the person from displayName, else first and last name, else the email', () => {
    const p = (profile: Record<string, unknown>) => toSourceAccount(user({ id: '00u1', status: 'ACTIVE', profile: { email: 'a@example.com', ...profile } })).person?.name;
    expect(p({ displayName: 'Ada L.', firstName: 'Ada', lastName: 'Lovelace' })).toBe('Ada L.');
    expect(p({ firstName: 'Ada', lastName: 'Lovelace' })).toBe('Ada Lovelace');
    expect(p({})).toBe('a@example.com');
  });

  it('takes the manager email only from a manager field that is an email', () => {
    const person = (manager: string | null) =>
      toSourceAccount(user({ id: '00u1', status: 'ACTIVE', profile: { email: 'a@example.com', manager, managerId: 'E123' } })).person;
    expect(person('Boss@Example.com')).toMatchObject({ managerEmail: 'boss@example.com', managerRef: 'E123' });
    expect(person('Grace Hopper')).toMatchObject({ managerEmail: null, managerRef: 'E123' });
    expect(person(null)?.managerEmail).toBeNull();
  });

  it('has no person without an email, and falls back to the id for the login', () => {
    const a = toSourceAccount(user({ id: '00u9', status: 'STAGED', profile: {} }));
    expect(a).toMatchObject({ login: '00u9', email: null, person: null, lastLoginAt: null });
  });

  it('reads lastLogin as a date, whether the SDK gave a Date or a string', () => {
    const at = '2026-05-01T08:30:00.000Z';
    expect(toSourceAccount(user({ id: '1', status: 'ACTIVE', lastLogin: new Date(at), profile: {} })).lastLoginAt?.toISOString()).toBe(at);
    expect(toSourceAccount(user({ id: '1', status: 'ACTIVE', lastLogin: at, profile: {} })).lastLoginAt?.toISOString()).toBe(at);
  });
});
