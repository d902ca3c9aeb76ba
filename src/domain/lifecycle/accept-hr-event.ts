import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { AlreadyDelivered, claimDelivery, findDelivery, linkDelivery } from './record-delivery.js';
import { startOffboarding } from './start-offboarding.js';
import { startOnboarding } from './start-onboarding.js';
import { transferPerson } from './transfer-person.js';

export const HR_EVENT_TYPES = ['employee.terminated', 'employee.hired', 'employee.transferred'] as const;

/** An HR system's event, already authenticated and validated by the transport. */
export interface HrEvent {
  id: string;
  type: (typeof HR_EVENT_TYPES)[number];
  occurredAt: Date;
  employee: {
    email: string;
    name?: string | null;
    managerEmail?: string | null;
    department?: string | null;
    title?: string | null;
    startDate?: Date | null;
    effectiveAt?: Date | null;
  };
}

const ACTOR = 'webhook:hr';

/**
 * Acts on an HR event once. The delivery record and the case it opens commit in one
 * transaction, so a refused event (unknown person, …) leaves nothing behind and may be sent
 * again, and a redelivery of an accepted one returns the same case.
 * `caseId` is the offboarding or onboarding case, or the mover review's campaign.
 */
export async function acceptHrEvent(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  registry: ConnectorRegistry,
  event: HrEvent,
): Promise<{ caseId: string | null; replay: boolean }> {
  const seen = await findDelivery(deps.db, 'hr', event.id);
  if (seen) return { caseId: seen.caseId, replay: true };
  try {
    return await deps.db.transaction(async (tx) => {
      await claimDelivery(tx, 'hr', event.id, deps.clock.now());
      const caseId = await dispatch({ ...deps, db: tx }, registry, event);
      await linkDelivery(tx, 'hr', event.id, caseId);
      return { caseId, replay: false };
    });
  } catch (err) {
    if (!(err instanceof AlreadyDelivered)) throw err;
    return { caseId: (await findDelivery(deps.db, 'hr', event.id))?.caseId ?? null, replay: true };
  }
}

async function dispatch(deps: Pick<Deps, 'db' | 'clock' | 'config'>, registry: ConnectorRegistry, event: HrEvent): Promise<string> {
  const e = event.employee;
  const origin = `hr:${event.id}` as const;
  switch (event.type) {
    case 'employee.terminated':
      return (
        await startOffboarding(deps, registry, {
          person: e.email,
          effectiveAt: e.effectiveAt ?? event.occurredAt,
          reasonCategory: 'terminated',
          actor: ACTOR,
          origin,
        })
      ).caseId;
    case 'employee.hired': {
      if (!e.name || !e.startDate) throw new AppError('INVALID_INPUT', 'A hire needs a name and a start date', { field: e.name ? 'employee.start_date' : 'employee.name' });
      const { caseId } = await startOnboarding(deps, registry, {
        email: e.email,
        name: e.name,
        managerEmail: e.managerEmail ?? null,
        department: e.department ?? null,
        title: e.title ?? null,
        startDate: e.startDate,
        actor: ACTOR,
        origin,
      });
      return caseId;
    }
    case 'employee.transferred': {
      const changes = {
        ...(e.department !== undefined ? { department: e.department } : {}),
        ...(e.title !== undefined ? { title: e.title } : {}),
      };
      return (await transferPerson(deps, { email: e.email, ...changes, managerEmail: e.managerEmail ?? null, actor: ACTOR, origin })).campaignId;
    }
  }
}
