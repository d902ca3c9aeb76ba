import type { DirectoryStore, UserInput } from '../fakes/google/directory-store.js';
import { OktaOrg } from '../fakes/okta/index.js';

/**
 * A small company (acme.test) for the end-to-end offboarding test. Leo, who leaves, has an Okta
 * user in two groups with a direct app assignment, a Google user in one group, and an AWS
 * account (from the directory file) holding one role that Omar owns. Maya is Leo's manager,
 * Hana is in HR, Ivan is IT (and the Google admin the service account acts as).
 */
export const PEOPLE = {
  leo: 'leo@acme.test',
  maya: 'maya@acme.test',
  omar: 'omar@acme.test',
  hana: 'hana@acme.test',
  ivan: 'ivan@acme.test',
} as const;

export const GOOGLE_ADMIN = PEOPLE.ivan;

export function buildOktaOrg() {
  const org = new OktaOrg();
  const user = (email: string, first: string, profile: Record<string, string | null> = {}) =>
    org.addUser({
      status: 'ACTIVE',
      lastLogin: '2026-09-30T08:00:00.000Z',
      profile: { firstName: first, lastName: 'Acme', email, login: email, department: 'Engineering', ...profile },
    });
  const maya = user(PEOPLE.maya, 'Maya', { title: 'Engineering Manager' });
  const leo = user(PEOPLE.leo, 'Leo', { title: 'Engineer', managerId: maya.id });
  const omar = user(PEOPLE.omar, 'Omar', { title: 'Cloud Lead', managerId: maya.id });
  const hana = user(PEOPLE.hana, 'Hana', { title: 'People Partner', department: 'People' });
  const ivan = user(PEOPLE.ivan, 'Ivan', { title: 'IT Admin', department: 'IT' });

  const engineering = org.addGroup({ name: 'Engineering' });
  const oncall = org.addGroup({ name: 'Payments On-call' });
  const allStaff = org.addGroup({ name: 'All Staff' });
  for (const u of [maya, leo, omar]) org.addMember(engineering.id, u.id);
  org.addMember(oncall.id, leo.id);
  org.addMember(oncall.id, omar.id);
  for (const u of [hana, ivan]) org.addMember(allStaff.id, u.id);

  const github = org.addApp({ label: 'GitHub', name: 'github' });
  org.assignUserToApp(github.id, leo.id);
  org.assignUserToApp(github.id, maya.id);

  return { org, users: { maya, leo, omar, hana, ivan }, groups: { engineering, oncall, allStaff }, apps: { github } };
}

export function seedGoogle(store: DirectoryStore) {
  const add = (email: string, fullName: string, extra: Partial<UserInput> = {}) =>
    store.addUser({ primaryEmail: email, fullName, lastLoginTime: '2026-09-30T08:00:00.000Z', ...extra });
  const ivan = add(PEOPLE.ivan, 'Ivan Acme', { isAdmin: true });
  const maya = add(PEOPLE.maya, 'Maya Acme');
  const leo = add(PEOPLE.leo, 'Leo Acme', { relations: [{ value: PEOPLE.maya, type: 'manager' }] });
  const omar = add(PEOPLE.omar, 'Omar Acme');
  const hana = add(PEOPLE.hana, 'Hana Acme');
  const eng = store.addGroup('eng@acme.test', 'Engineering list');
  store.addMember(eng.id, maya);
  store.addMember(eng.id, leo);
  store.addMember(eng.id, omar);
  return { users: { ivan, maya, leo, omar, hana }, groups: { eng } };
}

const HEADER = 'system,account_id,login,email,name,status,resource,resource_kind,privileged,owner_email';

/** Leo's AWS account and its one role grant; the rows an admin deletes once AWS access is gone. */
export const LEO_AWS_ROWS = [`aws,leo.acme,leo.acme,${PEOPLE.leo},Leo Acme,active,PowerUserAccess,role,true,${PEOPLE.omar}`];

/**
 * The directory file: AWS IAM for six accounts (so removing one is well under the mass-removal
 * guard), with Leo's rows included or not.
 */
export function awsCsv(withLeo: boolean): string {
  const rows = [
    ...(withLeo ? LEO_AWS_ROWS : []),
    `aws,omar.acme,omar.acme,${PEOPLE.omar},Omar Acme,active,AdministratorAccess,role,true,${PEOPLE.omar}`,
    `aws,omar.acme,,,,,PowerUserAccess,role,true,${PEOPLE.omar}`,
    `aws,maya.acme,maya.acme,${PEOPLE.maya},Maya Acme,active,ReadOnlyAccess,role,false,${PEOPLE.omar}`,
    `aws,ivan.acme,ivan.acme,${PEOPLE.ivan},Ivan Acme,active,AdministratorAccess,,,`,
    `aws,hana.acme,hana.acme,${PEOPLE.hana},Hana Acme,active,ReadOnlyAccess,,,`,
    `aws,ci-deploy,ci-deploy,,,active,PowerUserAccess,,,`,
  ];
  return `${HEADER}\n${rows.join('\n')}\n`;
}
