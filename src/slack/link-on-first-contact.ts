import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { ChatDirectory } from '../domain/people/chat-directory.js';
import { findPersonBySlackId } from '../domain/people/find-person.js';
import { linkChatUserById } from '../domain/people/link-chat-user-by-id.js';

export interface FirstContactOptions {
  /** How long a user Slack could not match to a person is left alone (default 5 minutes). */
  strangerTtlMs?: number;
  /** The most a request waits for users.info before its listener runs anyway (default 1.5 s). */
  budgetMs?: number;
}

/** Bounds the stranger cache: past it, expired entries are dropped (and, if need be, all). */
const MAX_STRANGERS = 10_000;

/**
 * Global middleware: a Slack user no person is linked to yet (their first command, click,
 * modal or App Home visit) is looked up with users.info and linked by email, so that the admin
 * seeded from ATTEST_ADMINS is recognised on their very first `/attest help`, before any sync.
 * Users that match nobody are remembered for a while, so a stranger cannot make every request
 * cost a users.info call. The wait is bounded: Slack needs the ack within 3 seconds, and a slow
 * lookup finishes in the background while the listener answers as for an unknown user.
 */
export function linkOnFirstContact(
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>,
  directory: Pick<ChatDirectory, 'userById'>,
  opts: FirstContactOptions = {},
): Middleware<AnyMiddlewareArgs> {
  const ttl = opts.strangerTtlMs ?? 5 * 60_000;
  const budget = opts.budgetMs ?? 1500;
  const strangers = new Map<string, number>();
  const inFlight = new Map<string, Promise<void>>();

  const remember = (id: string) => {
    const now = deps.clock.now().getTime();
    if (strangers.size >= MAX_STRANGERS) for (const [k, until] of strangers) if (until <= now) strangers.delete(k);
    if (strangers.size >= MAX_STRANGERS) strangers.clear();
    strangers.set(id, now + ttl);
  };

  const resolve = (id: string): Promise<void> => {
    const running = inFlight.get(id);
    if (running) return running;
    const work = linkChatUserById(deps, directory, id)
      .then((p) => {
        if (p) deps.logger.info({ slackUserId: id, personId: p.id }, 'linked a Slack user on first contact');
        else remember(id);
      })
      .catch((err: unknown) => {
        remember(id);
        deps.logger.warn({ err, slackUserId: id }, 'could not look up a new Slack user');
      })
      .finally(() => inFlight.delete(id));
    inFlight.set(id, work);
    return work;
  };

  return async ({ body, next }) => {
    const id = contactUserId(body);
    if (id && !isRememberedStranger(strangers, id, deps.clock.now().getTime()) && !(await findPersonBySlackId(deps.db, id))) {
      await withinBudget(resolve(id), budget);
    }
    await next();
  };
}

function isRememberedStranger(strangers: Map<string, number>, id: string, now: number): boolean {
  const until = strangers.get(id);
  if (until === undefined) return false;
  if (until > now) return true;
  strangers.delete(id);
  return false;
}

async function withinBudget(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The Slack user behind a request a person makes; undefined for events nobody "did" to us. */
export function contactUserId(body: unknown): string | undefined {
  const b = body as { command?: unknown; user_id?: unknown; type?: unknown; user?: { id?: unknown }; event?: { type?: unknown; user?: unknown } };
  if (typeof b.command === 'string') return typeof b.user_id === 'string' ? b.user_id : undefined;
  if (b.type === 'event_callback') return b.event?.type === 'app_home_opened' && typeof b.event.user === 'string' ? b.event.user : undefined;
  return typeof b.user?.id === 'string' ? b.user.id : undefined;
}
