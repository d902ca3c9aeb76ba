import { OktaOrg, type FakeGroupType, type FakeUserStatus } from './org.js';

export interface GenerateOrgOptions {
  users: number;
  groups: number;
  /** Group memberships in total, spread evenly over the groups. */
  memberships: number;
  apps: number;
  /** Direct (scope USER) app assignments in total, spread evenly over the apps. */
  assignments: number;
  seed: number;
  /** Group-to-app assignments (default: one per app); their members are the app's scope GROUP users. */
  appGroups?: number;
  /** Users holding admin roles (default: one in 200). */
  admins?: number;
}

const STATUSES: FakeUserStatus[] = ['ACTIVE', 'STAGED', 'PROVISIONED', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED', 'DEPROVISIONED'];
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Linus', 'Margaret', 'Tim'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Torvalds', 'Hamilton', 'Berners'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'People', 'Support', 'Legal', 'Marketing'];
const ROLES = ['SUPER_ADMIN', 'ORG_ADMIN', 'APP_ADMIN', 'USER_ADMIN', 'HELP_DESK_ADMIN', 'READ_ONLY_ADMIN', 'GROUP_MEMBERSHIP_ADMIN', 'REPORT_ADMIN'];
const SIGN_ON = ['SAML_2_0', 'OPENID_CONNECT', 'BOOKMARK', 'AUTO_LOGIN'];

/** mulberry32: small, fast and the same on every machine for a given seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct indices below `n`, ascending (so ids go into sorted lists at the end). */
function sample(rng: () => number, n: number, count: number): number[] {
  const picked = new Set<number>();
  const want = Math.min(count, n);
  while (picked.size < want) picked.add(Math.floor(rng() * n));
  return [...picked].sort((a, b) => a - b);
}

/** Splits `total` over `parts` as evenly as possible. */
function share(total: number, parts: number, i: number): number {
  return Math.floor(total / parts) + (i < total % parts ? 1 : 0);
}

/**
 * A deterministic org of any size. Only compact records are kept (JSON is built per response),
 * so the benchmark org (10,000 users, 100,000 memberships, 60,000 assignments) stays small.
 */
export function generateOktaOrg(o: GenerateOrgOptions): OktaOrg {
  const rng = random(o.seed);
  const org = new OktaOrg(`s${(o.seed % 46656).toString(36).padStart(3, '0')}fg4`);
  const userIds: string[] = [];
  for (let i = 0; i < o.users; i += 1) {
    // The first eight cover every status; after that most users are active.
    const roll = rng();
    const status = i < STATUSES.length ? STATUSES[i]! : roll < 0.85 ? 'ACTIVE' : STATUSES[1 + Math.floor((roll - 0.85) / 0.15 * 7)]!;
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const email = `${first}.${last}.${i}@example.com`.toLowerCase();
    const managerIndex = i === 0 ? -1 : Math.floor((i - 1) / 8);
    const manager = managerIndex >= 0 ? org.users.get(userIds[managerIndex]!) : undefined;
    const user = org.addUser({
      status,
      // Nine in ten have a factor; every tenth has none (a finding), every seventh one pending.
      factors: i % 10 === 9 ? [] : [{ id: `ufs${i}`, factorType: i % 3 === 0 ? 'token:software:totp' : 'push', provider: i % 3 === 0 ? 'GOOGLE' : 'OKTA', status: i % 7 === 6 ? 'PENDING_ACTIVATION' : 'ACTIVE' }],
      lastLogin: status === 'ACTIVE' ? org.timestamp(800_000 + Math.floor(rng() * 100_000)) : null,
      profile: {
        firstName: first,
        lastName: last,
        email,
        login: email,
        title: i % 8 === 0 ? 'Manager' : 'Engineer',
        department: DEPARTMENTS[i % DEPARTMENTS.length]!,
        managerId: manager?.id ?? null,
        // Okta's `manager` is free text: an email for some orgs, a display name for others.
        manager: manager ? (i % 2 === 0 ? manager.profile.email! : `${manager.profile.firstName} ${manager.profile.lastName}`) : null,
      },
    });
    userIds.push(user.id);
  }
  const groupIds: string[] = [];
  for (let g = 0; g < o.groups; g += 1) {
    const type: FakeGroupType = g === 0 ? 'BUILT_IN' : g % 10 === 9 ? 'APP_GROUP' : 'OKTA_GROUP';
    const group = org.addGroup({ type, name: g === 0 ? 'Everyone' : `Group ${g}`, description: `Generated group ${g}` });
    groupIds.push(group.id);
    for (const u of sample(rng, o.users, share(o.memberships, o.groups, g))) org.addMember(group.id, userIds[u]!);
  }
  const appIds: string[] = [];
  for (let a = 0; a < o.apps; a += 1) {
    const app = org.addApp({ label: `App ${a}`, status: a % 10 === 7 ? 'INACTIVE' : 'ACTIVE', signOnMode: SIGN_ON[a % SIGN_ON.length]! });
    appIds.push(app.id);
    for (const u of sample(rng, o.users, share(o.assignments, o.apps, a))) org.assignUserToApp(app.id, userIds[u]!);
  }
  const appGroups = o.appGroups ?? o.apps;
  for (let k = 0; k < appGroups && o.groups > 1 && o.apps > 0; k += 1) {
    // Skip Everyone (group 0): assigning it would put every user on the app.
    org.assignGroupToApp(appIds[k % o.apps]!, groupIds[1 + ((k * 7919) % (o.groups - 1))]!);
  }
  const admins = o.admins ?? Math.max(1, Math.floor(o.users / 200));
  for (const u of sample(rng, o.users, admins)) {
    org.assignRole(userIds[u]!, ROLES[u % ROLES.length]!);
    if (u % 3 === 0) org.assignRole(userIds[u]!, ROLES[(u + 1) % ROLES.length]!);
  }
  return org;
}
