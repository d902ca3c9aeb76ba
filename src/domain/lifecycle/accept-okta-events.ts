import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { account } from '../../db/schema/index.js';
import { findPersonByEmail } from '../people/find-person.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { AlreadyDelivered, claimDelivery, linkDelivery } from './record-delivery.js';
import { startOffboarding } from './start-offboarding.js';

/** Okta lifecycle events that mean the person no longer works here (or must not sign in). */
export const OFFBOARDING_EVENT_TYPES = ['user.lifecycle.deactivate', 'user.lifecycle.suspend'] as const;

export interface OktaEvent {
  uuid: string;
  eventType: string;
  /** The User targets: Okta user id and login (an email). */
  users: { id: string; alternateId: string | null }[];
}

export interface OktaEventsReport {
  received: number;
  /** Cases opened (or found open) by these events. */
  cases: string[];
  /** Events already seen, of other types, or about nobody we know. */
  ignored: number;
}

/**
 * Okta deactivated or suspended someone outside Attest: open an offboarding case for them
 * (unless one is open) so everything else they hold is removed too. Each event is acted on
 * once, keyed by its uuid, in the transaction that opens the case.
 */
export async function acceptOktaEvents(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  registry: ConnectorRegistry,
  events: readonly OktaEvent[],
): Promise<OktaEventsReport> {
  const report: OktaEventsReport = { received: events.length, cases: [], ignored: 0 };
  for (const ev of events) {
    if (!(OFFBOARDING_EVENT_TYPES as readonly string[]).includes(ev.eventType)) {
      report.ignored += 1;
      continue;
    }
    try {
      const caseId = await deps.db.transaction(async (tx) => {
        await claimDelivery(tx, 'okta', ev.uuid, deps.clock.now());
        const personId = await personOf(tx, ev);
        const opened = personId
          ? await startOffboarding({ ...deps, db: tx }, registry, {
              person: personId,
              reasonCategory: ev.eventType === 'user.lifecycle.suspend' ? 'okta_suspended' : 'okta_deactivated',
              actor: 'webhook:okta',
              origin: `okta_hook:${ev.uuid}`,
            })
          : null;
        await linkDelivery(tx, 'okta', ev.uuid, opened?.caseId ?? null);
        return opened?.caseId ?? null;
      });
      if (caseId) report.cases.push(caseId);
      else report.ignored += 1;
    } catch (err) {
      if (!(err instanceof AlreadyDelivered)) throw err;
      report.ignored += 1;
    }
  }
  return report;
}

/** By the Okta account we synced (its id), else by the login as an email. */
async function personOf(tx: Db, ev: OktaEvent): Promise<string | null> {
  for (const u of ev.users) {
    const [a] = await tx
      .select({ personId: account.personId })
      .from(account)
      .where(and(eq(account.source, 'okta'), eq(account.externalId, u.id)));
    if (a?.personId) return a.personId;
    const p = u.alternateId?.includes('@') ? await findPersonByEmail(tx, u.alternateId) : undefined;
    if (p) return p.id;
  }
  return null;
}
