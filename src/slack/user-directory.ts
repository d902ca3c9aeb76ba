import { ErrorCode, type WebClient } from '@slack/web-api';
import { sleep } from '../connectors/sleep.js';
import type { ChatDirectory, ChatUser } from '../domain/people/chat-directory.js';
import { callWindow } from './call-window.js';

/**
 * users.list is Tier 2 (~20 calls a minute) but returns up to hundreds of members a call, so
 * mapping 5,000 people costs a few dozen calls instead of 5,000 users.lookupByEmail calls.
 */
const PAGE = 200;
/** users.lookupByEmail is Tier 3 (50+ a minute): kept under it, for the few lookups a launch makes. */
const LOOKUPS_PER_MINUTE = 50;
/** How many 429s one call sits out (each for its Retry-After) before it counts as failed. */
const RATE_LIMIT_RETRIES = 3;

type Member = NonNullable<Awaited<ReturnType<WebClient['users']['info']>>['user']>;

export function slackUserDirectory(client: WebClient): ChatDirectory {
  const lookups = callWindow(LOOKUPS_PER_MINUTE, 60_000);
  return {
    async *listUsers(): AsyncIterable<ChatUser[]> {
      let cursor: string | undefined;
      do {
        const res = await honourRetryAfter(() => client.users.list({ limit: PAGE, ...(cursor ? { cursor } : {}) }));
        yield (res.members ?? []).map(toChatUser);
        cursor = res.response_metadata?.next_cursor || undefined;
      } while (cursor);
    },

    async userById(id) {
      const res = await orNull(() => client.users.info({ user: id }), 'user_not_found');
      return res?.user ? toChatUser(res.user) : null;
    },

    async userByEmail(email) {
      await lookups.take();
      const res = await orNull(() => honourRetryAfter(() => client.users.lookupByEmail({ email })), 'users_not_found');
      return res?.user ? toChatUser(res.user) : null;
    },
  };
}

function toChatUser(m: Member): ChatUser {
  return {
    id: m.id!,
    email: m.profile?.email ?? null,
    tz: m.tz ?? null,
    deleted: Boolean(m.deleted),
    isBot: Boolean(m.is_bot) || m.id === 'USLACKBOT',
  };
}

/** Slack's "no such user" is an answer, not a failure. */
async function orNull<T>(call: () => Promise<T>, notFound: string): Promise<T | null> {
  try {
    return await call();
  } catch (err) {
    if ((err as { data?: { error?: unknown } }).data?.error === notFound) return null;
    throw err;
  }
}

/**
 * A client that rejects rate-limited calls (the CLI's) hands the 429 to us: wait what Slack
 * asked and try again. A client that retries on its own has already waited by then.
 */
async function honourRetryAfter<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      const e = err as { code?: unknown; retryAfter?: unknown };
      if (e.code !== ErrorCode.RateLimitedError || attempt >= RATE_LIMIT_RETRIES) throw err;
      await sleep(Number(e.retryAfter ?? 1) * 1000);
    }
  }
}
