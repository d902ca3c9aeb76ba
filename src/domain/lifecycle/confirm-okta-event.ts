import { TransientError, type AccountState, type Connector } from '../../connectors/types.js';

/**
 * Okta authenticates event hooks with a shared `Authorization` value only, so a delivery proves
 * nothing by itself: whoever learns the value can post a deactivation for anyone. An event is
 * acted on only when it is recent and Okta itself, asked over the API, says the user is in the
 * state the event claims.
 */

/**
 * Okta delivers events within seconds and retries for minutes, so a day is generous for a real
 * one; anything older is a replay (or a backlog nobody should act on blindly).
 */
export const OKTA_EVENT_MAX_AGE_MS = 24 * 3_600_000;
/** Clock skew allowed for an event stamped in the future. */
export const OKTA_EVENT_MAX_SKEW_MS = 5 * 60_000;
/**
 * Okta gives up on a hook after about 3 seconds; the read-back must leave time to answer. A read
 * that takes longer counts as Okta unreachable, which refuses (see refuseOktaEvent).
 */
export const OKTA_CONFIRM_TIMEOUT_MS = 2_000;

/** DEPROVISIONED confirms a suspension too: a user deactivated since is even more gone. */
const CONFIRMING: Record<string, readonly string[]> = {
  'user.lifecycle.deactivate': ['DEPROVISIONED'],
  'user.lifecycle.suspend': ['SUSPENDED', 'DEPROVISIONED'],
};

export type RefusalCode = 'stale' | 'not_confirmed' | 'unknown_to_okta' | 'okta_unreachable' | 'cannot_confirm';

export type Confirmation = { ok: true; account: AccountState } | { ok: false; code: RefusalCode; reason: string; oktaStatus?: string };

export function checkEventAge(published: Date | null, now: Date): Confirmation | null {
  if (!published) return { ok: false, code: 'stale', reason: 'the event carries no publication time' };
  const age = now.getTime() - published.getTime();
  if (age > OKTA_EVENT_MAX_AGE_MS) return { ok: false, code: 'stale', reason: `the event was published ${published.toISOString()}, more than 24 hours ago` };
  if (age < -OKTA_EVENT_MAX_SKEW_MS) return { ok: false, code: 'stale', reason: `the event claims to be published in the future (${published.toISOString()})` };
  return null;
}

/** Reads the user back from Okta; any failure to get an answer in time is a refusal, never a case. */
export async function confirmOktaEvent(
  connector: Connector | undefined,
  ev: { eventType: string; userId: string },
  timeoutMs = OKTA_CONFIRM_TIMEOUT_MS,
): Promise<Confirmation> {
  if (!connector?.getAccountStatus) return { ok: false, code: 'cannot_confirm', reason: 'no Okta connector is configured to confirm the event with' };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    const read = connector.getAccountStatus(ev.userId);
    // Observed either way, so a read that fails after the deadline is not an unhandled rejection.
    read.catch(() => undefined);
    const state = await Promise.race([read, late]);
    if (state === 'late') return { ok: false, code: 'okta_unreachable', reason: `Okta did not answer within ${timeoutMs} ms` };
    if (!state) return { ok: false, code: 'unknown_to_okta', reason: `Okta does not know user ${ev.userId}` };
    if (!(CONFIRMING[ev.eventType] ?? []).includes(state.rawStatus)) {
      return { ok: false, code: 'not_confirmed', reason: `Okta says user ${ev.userId} is ${state.rawStatus || 'in no status'}, not what ${ev.eventType} claims`, oktaStatus: state.rawStatus };
    }
    return { ok: true, account: state };
  } catch (err) {
    const detail = (err instanceof Error ? err.message : String(err)).slice(0, 300);
    // A permanent failure (no read scope, a bad token) will not pass by itself: say so apart.
    if (err instanceof TransientError) return { ok: false, code: 'okta_unreachable', reason: `Okta could not be reached: ${detail}` };
    return { ok: false, code: 'cannot_confirm', reason: `Okta refused the read-back: ${detail}` };
  } finally {
    clearTimeout(timer);
  }
}
