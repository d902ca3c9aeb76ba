import { SortedIds } from './sorted-ids.js';

export type FakeUserStatus =
  | 'STAGED'
  | 'PROVISIONED'
  | 'ACTIVE'
  | 'RECOVERY'
  | 'LOCKED_OUT'
  | 'PASSWORD_EXPIRED'
  | 'SUSPENDED'
  | 'DEPROVISIONED';
export type FakeGroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';

export interface FakeUser {
  id: string;
  status: FakeUserStatus;
  created: string;
  statusChanged: string;
  lastLogin: string | null;
  profile: Record<string, string | null>;
  /** Enrolled factors (GET /api/v1/users/{id}/factors); none when absent. */
  factors?: FakeFactor[];
}

/** One enrolled factor, as the UserFactor schema has it (specs/okta). */
export interface FakeFactor {
  id: string;
  factorType: 'push' | 'token:software:totp' | 'sms' | 'webauthn' | 'email' | 'signed_nonce';
  provider: 'OKTA' | 'GOOGLE' | 'FIDO';
  status: 'ACTIVE' | 'PENDING_ACTIVATION' | 'INACTIVE' | 'NOT_SETUP' | 'DISABLED' | 'ENROLLED' | 'EXPIRED';
}

export interface FakeGroup {
  id: string;
  type: FakeGroupType;
  name: string;
  description: string | null;
  created: string;
}

export interface FakeApp {
  id: string;
  name: string;
  label: string;
  status: 'ACTIVE' | 'INACTIVE';
  signOnMode: string;
  created: string;
}

export interface FakeRole {
  id: string;
  /** A standard role type such as `SUPER_ADMIN`, or `CUSTOM` with `role` and `resourceSet`. */
  type: string;
  label: string;
  assignmentType: 'USER' | 'GROUP';
  groupId?: string;
  role?: string;
  resourceSet?: string;
}

export interface FakeAppUser {
  userId: string;
  scope: 'USER' | 'GROUP';
}

const EPOCH = Date.parse('2024-01-01T00:00:00.000Z');

/**
 * An Okta org in memory. Lists are sorted by id so `after` cursors behave like Okta's; app
 * users are derived from direct assignments plus the members of assigned groups (scope GROUP),
 * as Okta does, so changing a membership changes what the app lists.
 */
export class OktaOrg {
  readonly users = new Map<string, FakeUser>();
  readonly userIds = new SortedIds();
  readonly groups = new Map<string, FakeGroup>();
  readonly groupIds = new SortedIds();
  readonly members = new Map<string, SortedIds>();
  readonly apps = new Map<string, FakeApp>();
  readonly appIds = new SortedIds();
  readonly appDirect = new Map<string, SortedIds>();
  readonly appGroups = new Map<string, SortedIds>();
  readonly userRoles = new Map<string, FakeRole[]>();
  readonly groupRoles = new Map<string, FakeRole[]>();
  private seq = 0;

  constructor(private readonly tag = 'fake0g4') {}

  newId(prefix: '00u' | '00g' | '0oa' | 'ra1'): string {
    this.seq += 1;
    return `${prefix}${this.seq.toString(36).padStart(10, '0')}${this.tag}`;
  }

  timestamp(minutes: number): string {
    return new Date(EPOCH + minutes * 60_000).toISOString();
  }

  addUser(input: Partial<Omit<FakeUser, 'profile'>> & { profile: Record<string, string | null> }): FakeUser {
    const id = input.id ?? this.newId('00u');
    const created = input.created ?? this.timestamp(this.seq);
    const user: FakeUser = {
      id,
      status: input.status ?? 'ACTIVE',
      created,
      statusChanged: input.statusChanged ?? created,
      lastLogin: input.lastLogin ?? null,
      profile: { login: input.profile.email ?? id, ...input.profile },
      ...(input.factors ? { factors: input.factors } : {}),
    };
    this.users.set(id, user);
    this.userIds.add(id);
    return user;
  }

  addGroup(input: Partial<FakeGroup> & { name: string }): FakeGroup {
    const id = input.id ?? this.newId('00g');
    const group: FakeGroup = {
      id,
      type: input.type ?? 'OKTA_GROUP',
      name: input.name,
      description: input.description ?? null,
      created: input.created ?? this.timestamp(this.seq),
    };
    this.groups.set(id, group);
    this.groupIds.add(id);
    this.members.set(id, new SortedIds());
    return group;
  }

  addApp(input: Partial<FakeApp> & { label: string }): FakeApp {
    const id = input.id ?? this.newId('0oa');
    const app: FakeApp = {
      id,
      name: input.name ?? input.label.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
      label: input.label,
      status: input.status ?? 'ACTIVE',
      signOnMode: input.signOnMode ?? 'SAML_2_0',
      created: input.created ?? this.timestamp(this.seq),
    };
    this.apps.set(id, app);
    this.appIds.add(id);
    this.appDirect.set(id, new SortedIds());
    this.appGroups.set(id, new SortedIds());
    return app;
  }

  addMember(groupId: string, userId: string): void {
    this.mustHave(this.users, userId, 'user');
    this.mustHave(this.members, groupId, 'group').add(userId);
  }

  assignUserToApp(appId: string, userId: string): void {
    this.mustHave(this.users, userId, 'user');
    this.mustHave(this.appDirect, appId, 'app').add(userId);
  }

  assignGroupToApp(appId: string, groupId: string): void {
    this.mustHave(this.groups, groupId, 'group');
    this.mustHave(this.appGroups, appId, 'app').add(groupId);
  }

  assignRole(userId: string, type: string, extra: Partial<FakeRole> = {}): FakeRole {
    this.mustHave(this.users, userId, 'user');
    const role: FakeRole = { id: this.newId('ra1'), type, label: roleLabel(type), assignmentType: 'USER', ...extra };
    this.userRoles.set(userId, [...(this.userRoles.get(userId) ?? []), role]);
    return role;
  }

  assignGroupRole(groupId: string, type: string): FakeRole {
    this.mustHave(this.groups, groupId, 'group');
    const role: FakeRole = { id: this.newId('ra1'), type, label: roleLabel(type), assignmentType: 'GROUP', groupId };
    this.groupRoles.set(groupId, [...(this.groupRoles.get(groupId) ?? []), role]);
    return role;
  }

  /** Everyone assigned to the app, in id order; a direct assignment shows as scope USER. */
  appUsers(appId: string): FakeAppUser[] {
    const direct = this.appDirect.get(appId);
    if (!direct) return [];
    const viaGroup = new Set<string>();
    for (const groupId of this.appGroups.get(appId)?.values() ?? []) {
      for (const userId of this.members.get(groupId)?.values() ?? []) viaGroup.add(userId);
    }
    const all = new Set<string>([...direct.values(), ...viaGroup]);
    return [...all].sort().map((userId) => ({ userId, scope: direct.has(userId) ? 'USER' : 'GROUP' }));
  }

  /** A user's roles: their own, then those held through groups with roles. */
  rolesOf(userId: string): FakeRole[] {
    const inherited: FakeRole[] = [];
    for (const [groupId, roles] of this.groupRoles) {
      if (this.members.get(groupId)?.has(userId)) inherited.push(...roles);
    }
    return [...(this.userRoles.get(userId) ?? []), ...inherited];
  }

  /** Users holding at least one role, directly or through a group, in id order. */
  roleAssignees(): string[] {
    const ids = new Set<string>();
    for (const [userId, roles] of this.userRoles) if (roles.length) ids.add(userId);
    for (const [groupId, roles] of this.groupRoles) {
      if (roles.length) for (const userId of this.members.get(groupId)?.values() ?? []) ids.add(userId);
    }
    return [...ids].sort();
  }

  private mustHave<V>(map: Map<string, V>, id: string, what: string): V {
    const value = map.get(id);
    if (value === undefined) throw new Error(`fake okta: no ${what} ${id}`);
    return value;
  }
}

export function roleLabel(type: string): string {
  const words = type.toLowerCase().split('_');
  return words.map((w) => (w === 'admin' ? 'administrator' : w)).join(' ').replace(/^./, (c) => c.toUpperCase());
}
