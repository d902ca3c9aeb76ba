import type { Deps } from '../../deps.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { checkEventAge, confirmOktaEvent, type Confirmation } from './confirm-okta-event.js';
import { oktaEventPerson, oktaUserPerson, type OktaUserRef } from './okta-event-person.js';
import { AlreadyDelivered, claimDelivery, findDelivery, linkDelivery } from './record-delivery.js';
import { refuseOktaEvent } from './refuse-okta-event.js';
import { startOffboarding } from './start-offboarding.js';

/** Okta lifecycle events that mean the person no longer works here (or must not sign in). */
export const OFFBOARDING_EVENT_TYPES = ['user.lifecycle.deactivate', 'user.lifecycle.suspend'] as const;

export interface OktaEvent {
  uuid: string;
  eventType: string;
  /** When Okta says it happened (`published`); null when the delivery left it out. */
  published: Date | null;
  /** The User targets: Okta user id and login (an email). */
  users: OktaUserRef[];
}

export interface OktaEventsReport {
  received: number;
  /** Cases opened (or found open) by these events. */
  cases: string[];
  /** Events already seen, of other types, or about nobody we know. */
  ignored: number;
  /** Events Okta did not confirm, or too old: recorded as security events, nothing opened. */
  refused: number;
}

/**
 * Okta deactivated or suspended someone outside Attest: open an offboarding case for them
 * (unless one is open) so everything else they hold is removed too. The hook's shared secret
 * is not enough to act on (see confirm-okta-event.ts): each event must be recent and Okta,
 * asked over the API, must confirm it, else it is refused. Each event is acted on once, keyed
 * by its uuid, in the transaction that opens the case or records the refusal.
 */
export async function acceptOktaEvents(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  registry: ConnectorRegistry,
  events: readonly OktaEvent[],
): Promise<OktaEventsReport> {
  const report: OktaEventsReport = { received: events.length, cases: [], ignored: 0, refused: 0 };
  const now = deps.clock.now();
  const candidates: { ev: OktaEvent; personId: string; user: OktaUserRef }[] = [];
  for (const ev of events) {
    const named = await candidatePerson(deps, ev);
    if (named !== 'skip' && named !== null) candidates.push({ ev, ...named });
    else {
      // About nobody we know: claimed all the same, so a redelivery is not looked at again.
      if (named === null) await once(() => claimOnly(deps, ev));
      report.ignored += 1;
    }
  }
  // Read-backs run together: Okta waits about 3 seconds for the whole delivery. A connector
  // that cannot even be built confirms nothing, so every event is refused.
  const okta = candidates.length > 0 ? await registry.get('okta').catch(() => undefined) : undefined;
  const confirmations = await Promise.all(
    candidates.map(({ ev, user }) => checkEventAge(ev.published, now) ?? confirmOktaEvent(okta, { eventType: ev.eventType, userId: user.id })),
  );
  for (const [i, { ev, personId, user }] of candidates.entries()) {
    const c = await samePerson(deps, user, confirmations[i]!, personId);
    if (!c.ok) {
      if (await once(() => refuseOktaEvent(deps, { ...ev, users: [user] }, c, personId))) report.refused += 1;
      else report.ignored += 1;
      continue;
    }
    const caseId = await once(() => openCase(deps, registry, ev, personId));
    if (caseId) report.cases.push(caseId);
    else report.ignored += 1;
  }
  return report;
}

/**
 * The person is found from the event's claims only to decide whether to ask Okta at all; the
 * case is for the person behind Okta's own answer, and a mismatch (a forged login beside the id
 * of someone really deactivated) is refused.
 */
async function samePerson(deps: Pick<Deps, 'db'>, user: OktaUserRef, c: Confirmation, personId: string): Promise<Confirmation> {
  if (!c.ok || (await oktaUserPerson(deps.db, c.account)) === personId) return c;
  return { ok: false, code: 'not_confirmed', reason: `the event names ${user.alternateId ?? user.id}, but Okta's user ${c.account.externalId} is ${c.account.login}` };
}

/** 'skip': not an offboarding event, or seen before; null: about nobody we know. */
async function candidatePerson(deps: Pick<Deps, 'db'>, ev: OktaEvent): Promise<{ personId: string; user: OktaUserRef } | null | 'skip'> {
  if (!(OFFBOARDING_EVENT_TYPES as readonly string[]).includes(ev.eventType)) return 'skip';
  if (await findDelivery(deps.db, 'okta', ev.uuid)) return 'skip';
  return oktaEventPerson(deps.db, ev.users);
}

/** Runs one event's transaction; undefined when a concurrent delivery of the same uuid got there first. */
async function once<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AlreadyDelivered) return undefined;
    throw err;
  }
}

async function claimOnly(deps: Pick<Deps, 'db' | 'clock'>, ev: OktaEvent): Promise<void> {
  await deps.db.transaction((tx) => claimDelivery(tx, 'okta', ev.uuid, deps.clock.now()));
}

async function openCase(deps: Pick<Deps, 'db' | 'clock' | 'config'>, registry: ConnectorRegistry, ev: OktaEvent, personId: string): Promise<string> {
  return deps.db.transaction(async (tx) => {
    await claimDelivery(tx, 'okta', ev.uuid, deps.clock.now());
    const opened = await startOffboarding({ ...deps, db: tx }, registry, {
      person: personId,
      reasonCategory: ev.eventType === 'user.lifecycle.suspend' ? 'okta_suspended' : 'okta_deactivated',
      actor: 'webhook:okta',
      origin: `okta_hook:${ev.uuid}`,
    });
    await linkDelivery(tx, 'okta', ev.uuid, opened.caseId);
    return opened.caseId;
  });
}
