export interface FakeUser {
  id: string;
  name?: string;
  real_name?: string;
  email?: string | null;
  tz?: string;
  deleted?: boolean;
  is_bot?: boolean;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  files?: { id: string; title?: string }[];
  thread_ts?: string;
  user: string;
  bot_id: string;
}

export interface StoredView {
  id: string;
  hash: string;
  type: string;
  user_id?: string;
  external_id?: string;
  [k: string]: unknown;
}

export interface StoredFile {
  id: string;
  filename: string;
  length: number;
  title?: string;
  content?: Buffer;
}

/** What the fake workspace holds: users, messages per channel, views, uploaded files. */
export class SlackState {
  readonly team = { id: 'T0FAKE', name: 'Fake Workspace', domain: 'fake' };
  readonly bot = { id: 'B0FAKEBOT', userId: 'U0FAKEBOT', appId: 'A0FAKEAPP' };
  users: FakeUser[] = [];
  /** When set, only these channels (plus DMs and users) exist; others answer channel_not_found. */
  channels: Set<string> | undefined;
  /** Channels that exist but the bot has not been invited to (is_member false, not_in_channel). */
  outsideChannels = new Set<string>();
  /** The bot token's scopes, sent as `x-oauth-scopes` on every authenticated answer. */
  scopes: string[] = [];
  readonly messages = new Map<string, StoredMessage[]>();
  readonly homeViews = new Map<string, StoredView>();
  readonly views = new Map<string, StoredView>();
  readonly files = new Map<string, StoredFile>();
  private seq = 0;
  private readonly epoch = Math.floor(Date.now() / 1000);

  /** Slack ids look like `V0…`; unique and increasing within one fake. */
  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(9, '0')}`;
  }

  /** Message timestamps are unique and sort as numbers and as strings alike. */
  nextTs(): string {
    this.seq += 1;
    return `${this.epoch + Math.floor(this.seq / 1e6)}.${String(this.seq % 1e6).padStart(6, '0')}`;
  }

  /** A bot's DM with a user: posting to a user id lands in this channel, as on Slack. */
  dmChannel(userId: string): string {
    return `D${userId.replace(/^[UW]/, '')}`;
  }

  /** Resolves a `channel` argument; undefined when Slack would say channel_not_found. */
  resolveChannel(channel: unknown): string | undefined {
    if (typeof channel !== 'string' || channel === '') return undefined;
    if (/^[UW]/.test(channel)) return this.userById(channel) || this.users.length === 0 ? this.dmChannel(channel) : undefined;
    if (channel.startsWith('D') || !this.channels) return channel;
    return this.channels.has(channel) ? channel : undefined;
  }

  userById(id: string): FakeUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  addMessage(m: StoredMessage): StoredMessage {
    const list = this.messages.get(m.channel) ?? [];
    list.push(m);
    this.messages.set(m.channel, list);
    return m;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }
}

/** What users.list / users.info return for a stored user. */
export function userObject(u: FakeUser, teamId: string): Record<string, unknown> {
  return {
    id: u.id,
    team_id: teamId,
    name: u.name ?? u.id.toLowerCase(),
    real_name: u.real_name ?? u.name ?? '',
    deleted: u.deleted ?? false,
    is_bot: u.is_bot ?? false,
    tz: u.tz ?? 'Europe/London',
    profile: { email: u.email ?? undefined, real_name: u.real_name ?? u.name ?? '' },
  };
}
