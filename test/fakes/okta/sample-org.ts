import { OktaOrg, type FakeUserStatus } from './org.js';

/**
 * A small org with one of everything the connector must tell apart: every user status, manager
 * by id and by email or name, the three group types, an inactive app, direct and group-held app
 * assignments (and a user holding one both ways), standard, custom and group-held admin roles.
 */
export function sampleOktaOrg() {
  const org = new OktaOrg();
  const person = (first: string, status: FakeUserStatus, profile: Record<string, string | null> = {}) =>
    org.addUser({
      status,
      lastLogin: status === 'ACTIVE' ? '2026-09-01T10:00:00.000Z' : null,
      profile: { firstName: first, lastName: 'Example', email: `${first.toLowerCase()}@example.com`, department: 'Engineering', ...profile },
    });
  const alice = person('Alice', 'ACTIVE', { title: 'CTO', displayName: 'Alice A. Example' });
  const bob = person('Bob', 'ACTIVE', { title: 'Engineer', managerId: alice.id, manager: 'Alice@Example.com' });
  const carol = person('Carol', 'ACTIVE', { title: 'Support lead', managerId: 'alice@example.com', manager: 'Alice Example' });
  const staged = person('Stan', 'STAGED');
  const provisioned = person('Pat', 'PROVISIONED');
  const recovery = person('Rae', 'RECOVERY');
  const locked = person('Lou', 'LOCKED_OUT');
  const expired = person('Eve', 'PASSWORD_EXPIRED');
  const suspended = person('Sue', 'SUSPENDED');
  const gone = person('Gus', 'DEPROVISIONED', { managerId: alice.id });
  const users = { alice, bob, carol, staged, provisioned, recovery, locked, expired, suspended, gone };

  const everyone = org.addGroup({ type: 'BUILT_IN', name: 'Everyone' });
  const engineering = org.addGroup({ name: 'Engineering' });
  const adAdmins = org.addGroup({ type: 'APP_GROUP', name: 'AD Admins' });
  const helpdesk = org.addGroup({ name: 'Helpdesk' });
  for (const u of Object.values(users)) org.addMember(everyone.id, u.id);
  for (const u of [alice, bob, carol]) org.addMember(engineering.id, u.id);
  org.addMember(adAdmins.id, bob.id);
  org.addMember(helpdesk.id, carol.id);

  const github = org.addApp({ label: 'GitHub', name: 'github' });
  const salesforce = org.addApp({ label: 'Salesforce', name: 'salesforce' });
  const legacy = org.addApp({ label: 'Legacy CRM', status: 'INACTIVE' });
  org.assignGroupToApp(github.id, engineering.id);
  org.assignUserToApp(github.id, bob.id);
  org.assignUserToApp(salesforce.id, carol.id);
  org.assignUserToApp(salesforce.id, gone.id);
  org.assignUserToApp(legacy.id, alice.id);

  org.assignRole(alice.id, 'SUPER_ADMIN');
  org.assignRole(bob.id, 'APP_ADMIN');
  org.assignRole(bob.id, 'CUSTOM', { label: 'Access reviewer', role: 'cr0reviewer', resourceSet: 'iamAllUsers' });
  org.assignGroupRole(helpdesk.id, 'HELP_DESK_ADMIN');

  return { org, users, groups: { everyone, engineering, adAdmins, helpdesk }, apps: { github, salesforce, legacy } };
}
