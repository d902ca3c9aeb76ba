import type { Deps } from '../../deps.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';
import type { OktaEvent } from './accept-okta-events.js';
import type { Confirmation } from './confirm-okta-event.js';
import { claimDelivery, linkDelivery } from './record-delivery.js';

/** Outbox kind of the compliance channel's notice about a refused Okta event. */
export const OKTA_EVENT_REFUSED = 'okta.event_refused';

/**
 * An Okta event that could not be confirmed opens nothing. It is claimed (so a redelivery is
 * not refused twice), written as a `security.refused` event, and compliance is told in its
 * channel so a human checks it: a forged hook means the shared secret leaked, and a genuine
 * one that Okta could not confirm in time (Okta down, rate limited) still needs an offboarding,
 * started by hand. Refusing is the safe side of that choice: waiting for a retry would act on a
 * forged event as soon as Okta answered something else. All in one transaction.
 */
export async function refuseOktaEvent(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  ev: OktaEvent,
  refusal: Extract<Confirmation, { ok: false }>,
  personId: string | null,
): Promise<true> {
  const now = deps.clock.now();
  const user = ev.users[0];
  await deps.db.transaction(async (tx) => {
    await claimDelivery(tx, 'okta', ev.uuid, now);
    await linkDelivery(tx, 'okta', ev.uuid, null);
    const [row] = await appendEvidence(tx, deps.clock, {
      actor: 'webhook:okta',
      action: 'security.refused',
      subject: { oktaEvent: ev.uuid, ...(user ? { oktaUser: user.id } : {}), ...(personId ? { person: personId } : {}) },
      payload: {
        attempted: 'offboarding.start',
        reason: refusal.reason,
        code: refusal.code,
        eventType: ev.eventType,
        published: ev.published,
        login: user?.alternateId ?? null,
        oktaStatus: refusal.oktaStatus ?? null,
      },
    });
    const channel = deps.config.COMPLIANCE_CHANNEL ?? null;
    if (channel && row) {
      await enqueueMessage(tx, now, { kind: OKTA_EVENT_REFUSED, channel, dedupeKey: `${OKTA_EVENT_REFUSED}:${ev.uuid}`, payload: { seq: String(row.seq) } });
    }
  });
  return true;
}
