/**
 * The fake's data, shaped as Google's Directory API returns it (kind, etag, id formats), so
 * the connector parses exactly what it would parse from Google.
 */
export interface FakeUser {
  kind: 'admin#directory#user';
  id: string;
  etag: string;
  primaryEmail: string;
  name: { givenName: string; familyName: string; fullName: string };
  isAdmin: boolean;
  isDelegatedAdmin: boolean;
  lastLoginTime: string;
  creationTime: string;
  agreedToTerms: boolean;
  suspended: boolean;
  suspensionReason?: string;
  archived: boolean;
  changePasswordAtNextLogin: boolean;
  ipWhitelisted: boolean;
  emails: { address: string; primary?: boolean }[];
  relations?: { value: string; type: string; customType?: string }[];
  organizations?: { title?: string; department?: string; primary?: boolean; customType?: string; description?: string }[];
  customerId: string;
  orgUnitPath: string;
  isMailboxSetup: boolean;
  isEnrolledIn2Sv: boolean;
  isEnforcedIn2Sv: boolean;
  includeInGlobalAddressList: boolean;
}

export interface FakeGroup {
  kind: 'admin#directory#group';
  id: string;
  etag: string;
  email: string;
  name: string;
  directMembersCount: string;
  description: string;
  adminCreated: boolean;
}

export interface FakeMember {
  kind: 'admin#directory#member';
  etag: string;
  id: string;
  email: string;
  role: 'OWNER' | 'MANAGER' | 'MEMBER';
  type: 'USER' | 'GROUP' | 'CUSTOMER';
  status: 'ACTIVE' | 'SUSPENDED' | 'UNKNOWN';
}

/** Google reports a user who never signed in with this instant. */
export const NEVER = '1970-01-01T00:00:00.000Z';

export type UserInput = { primaryEmail: string; fullName?: string } & Partial<Omit<FakeUser, 'kind' | 'id' | 'etag' | 'name'>>;

export class DirectoryStore {
  readonly customerId = 'C03fake1a';
  readonly users: FakeUser[] = [];
  readonly groups: FakeGroup[] = [];
  readonly members = new Map<string, FakeMember[]>();
  private seq = 0;

  private etag = () => `"fake-etag-${++this.seq}"`;

  addUser({ primaryEmail, fullName, ...rest }: UserInput): FakeUser {
    const local = primaryEmail.split('@')[0]!;
    const [givenName = local, familyName = ''] = (fullName ?? local).split(' ');
    const user: FakeUser = {
      kind: 'admin#directory#user',
      id: String(100000000000000000000n + BigInt(this.users.length + 1)),
      etag: this.etag(),
      primaryEmail,
      name: { givenName, familyName, fullName: fullName ?? local },
      isAdmin: false,
      isDelegatedAdmin: false,
      lastLoginTime: NEVER,
      creationTime: '2024-01-15T09:00:00.000Z',
      agreedToTerms: true,
      suspended: false,
      archived: false,
      changePasswordAtNextLogin: false,
      ipWhitelisted: false,
      emails: [{ address: primaryEmail, primary: true }],
      customerId: this.customerId,
      orgUnitPath: '/',
      isMailboxSetup: true,
      isEnrolledIn2Sv: false,
      isEnforcedIn2Sv: false,
      includeInGlobalAddressList: true,
      ...rest,
    };
    this.users.push(user);
    return user;
  }

  addGroup(email: string, name = email.split('@')[0]!): FakeGroup {
    const group: FakeGroup = {
      kind: 'admin#directory#group',
      id: `01${(this.groups.length + 1).toString(36).padStart(4, '0')}fakegrp`,
      etag: this.etag(),
      email,
      name,
      directMembersCount: '0',
      description: '',
      adminCreated: true,
    };
    this.groups.push(group);
    this.members.set(group.id, []);
    return group;
  }

  /** Adds a user, a nested group, or (by a bare email) a member outside the customer. */
  addMember(groupId: string, who: FakeUser | FakeGroup | string, role: FakeMember['role'] = 'MEMBER'): FakeMember {
    const list = this.members.get(groupId);
    if (!list) throw new Error(`no group ${groupId}`);
    const base = { kind: 'admin#directory#member' as const, etag: this.etag(), role, status: 'ACTIVE' as const };
    const member: FakeMember =
      typeof who === 'string'
        ? { ...base, id: String(200000000000000000000n + BigInt(++this.seq)), email: who, type: 'USER' }
        : who.kind === 'admin#directory#user'
          ? { ...base, id: who.id, email: who.primaryEmail, type: 'USER', status: who.suspended ? 'SUSPENDED' : 'ACTIVE' }
          : { ...base, id: who.id, email: who.email, type: 'GROUP' };
    list.push(member);
    this.countMembers(groupId);
    return member;
  }

  removeMember(groupId: string, memberKey: string): boolean {
    const list = this.members.get(groupId) ?? [];
    const i = list.findIndex((m) => m.id === memberKey || m.email.toLowerCase() === memberKey.toLowerCase());
    if (i < 0) return false;
    list.splice(i, 1);
    this.countMembers(groupId);
    return true;
  }

  /** Keys are an id or an email, as in the real API. */
  findUser(key: string): FakeUser | undefined {
    return this.users.find((u) => u.id === key || u.primaryEmail.toLowerCase() === key.toLowerCase());
  }

  findGroup(key: string): FakeGroup | undefined {
    return this.groups.find((g) => g.id === key || g.email.toLowerCase() === key.toLowerCase());
  }

  membersOf(groupKey: string): FakeMember[] | undefined {
    const g = this.findGroup(groupKey);
    return g ? this.members.get(g.id) : undefined;
  }

  private countMembers(groupId: string) {
    const g = this.groups.find((x) => x.id === groupId);
    if (g) g.directMembersCount = String(this.members.get(groupId)?.length ?? 0);
  }
}
