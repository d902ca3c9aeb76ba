import type { DirectoryStore, FakeGroup, FakeUser } from './directory-store.js';

export const ADMIN = 'ada@example.com';

/**
 * A small Workspace tenant that exercises every mapping rule: a super admin, a delegated admin
 * with two organizations (the primary one is second), a suspended and an archived user, a
 * user who never signed in, an owner, a member from outside the domain and a nested group.
 */
export function seedSampleOrg(store: DirectoryStore) {
  const ada = store.addUser({
    primaryEmail: ADMIN,
    fullName: 'Ada Lovelace',
    isAdmin: true,
    lastLoginTime: '2026-09-30T08:15:00.000Z',
    organizations: [{ title: 'CTO', department: 'Engineering', primary: true }],
  });
  const grace = store.addUser({
    primaryEmail: 'grace@example.com',
    fullName: 'Grace Hopper',
    isDelegatedAdmin: true,
    lastLoginTime: '2026-09-29T17:00:00.000Z',
    relations: [{ value: 'Ada@Example.com', type: 'manager' }],
    organizations: [
      { title: 'Intern', department: 'Research' },
      { title: 'Staff Engineer', department: 'Platform', primary: true },
    ],
  });
  const linus = store.addUser({
    primaryEmail: 'linus@example.com',
    fullName: 'Linus Torvalds',
    suspended: true,
    suspensionReason: 'ADMIN',
    lastLoginTime: '2026-06-01T12:00:00.000Z',
    relations: [{ value: ADMIN, type: 'manager' }],
  });
  const margaret = store.addUser({ primaryEmail: 'margaret@example.com', fullName: 'Margaret Hamilton', archived: true });
  const kenji = store.addUser({ primaryEmail: 'kenji@example.com', fullName: '大竹 健二' });

  const eng = store.addGroup('eng@example.com', 'Engineering');
  const sre = store.addGroup('sre@example.com', 'SRE');
  const all = store.addGroup('all@example.com', 'Everyone');
  store.addMember(eng.id, ada, 'OWNER');
  store.addMember(eng.id, grace);
  store.addMember(eng.id, linus);
  const contractor = store.addMember(eng.id, 'contractor@gmail.com');
  store.addMember(eng.id, sre);
  store.addMember(sre.id, margaret);
  store.addMember(sre.id, kenji);
  return { users: { ada, grace, linus, margaret, kenji } satisfies Record<string, FakeUser>, groups: { eng, sre, all } satisfies Record<string, FakeGroup>, contractor };
}
