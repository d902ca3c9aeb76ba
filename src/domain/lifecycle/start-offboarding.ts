import { and, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { accessRequest, person } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { findOpenCase, lockPersonCases } from './find-open-case.js';
import { findRoleHolders, notifyPeople } from './notify-people.js';
import { planOffboardingTasks } from './plan-offboarding-tasks.js';
import { requireRole } from './require-role.js';
import { resolvePerson } from './resolve-person.js';

export type CaseOrigin = 'slack' | 'cli' | `hr:${string}` | `okta_hook:${string}`;

export interface StartOffboardingInput {
  /** Email or person id. */
  person: string;
  /** When access must end; default now. Automated removals wait for it. */
  effectiveAt?: Date;
  reasonCategory: string;
  notes?: string | null;
  actor: string;
  /** Set when a person started it (Slack): they must hold the hr role. */
  actorPersonId?: string | null;
  origin: CaseOrigin;
}

export interface StartOffboardingResult {
  caseId: string;
  /** False when an open case already existed and was returned instead. */
  created: boolean;
  taskIds: string[];
}

/**
 * Opens an offboarding case: the person becomes `leaving`, and every live account and grant
 * they hold gets a removal task due within OFFBOARDING_SLA_HOURS of the effective time. One
 * transaction, so a case is never half-planned; an open case is returned, never duplicated.
 */
export async function startOffboarding(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  registry: ConnectorRegistry,
  input: StartOffboardingInput,
): Promise<StartOffboardingResult> {
  const subject = await resolvePerson(deps.db, input.person);
  if (input.actorPersonId) {
    await requireRole(deps, {
      actorPersonId: input.actorPersonId,
      role: 'hr',
      attempted: 'offboarding.start',
      subject: { person: subject.id },
      message: 'Only HR can start offboarding.',
    });
  }
  const now = deps.clock.now();
  const effectiveAt = input.effectiveAt ?? now;
  const dueAt = new Date(effectiveAt.getTime() + deps.config.OFFBOARDING_SLA_HOURS * 3_600_000);
  return deps.db.transaction(async (tx) => {
    await lockPersonCases(tx, subject.id);
    const open = await findOpenCase(tx, subject.id, 'offboard');
    if (open) return { caseId: open.id, created: false, taskIds: [] };
    const [kase] = await tx
      .insert(accessRequest)
      .values({
        kind: 'offboard',
        status: 'in_progress',
        subjectPersonId: subject.id,
        requestedBy: input.actor,
        reason: input.reasonCategory,
        origin: input.origin,
        details: { notes: input.notes ?? null },
        effectiveAt,
        dueAt,
        createdAt: now,
      })
      .returning({ id: accessRequest.id });
    const caseId = kase!.id;
    await tx.update(person).set({ status: 'leaving', updatedAt: now }).where(and(eq(person.id, subject.id), eq(person.status, 'active')));
    const planned = await planOffboardingTasks(tx, deps, registry, {
      caseId,
      personId: subject.id,
      actor: input.actor,
      origin: input.origin,
      reason: `offboarding: ${input.reasonCategory}`,
      effectiveAt,
      dueAt,
    });
    const tasks = planned.map(({ task: t, covers }) => ({
      task: t.id,
      request: t.requestId,
      action: t.action,
      description: t.description,
      automated: t.automated,
      ownerId: t.ownerId,
      ownerRole: t.ownerRole,
      covers,
    }));
    await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'offboarding.started',
      subject: { request: caseId, person: subject.id },
      payload: { email: subject.email, effectiveAt, dueAt, reasonCategory: input.reasonCategory, notes: input.notes ?? null, origin: input.origin, tasks },
    });
    if (planned.length === 0) {
      // Nothing to remove: the case is already what a sync would prove.
      await tx.update(accessRequest).set({ status: 'verified', doneAt: now, verifiedAt: now }).where(eq(accessRequest.id, caseId));
      await appendEvidence(tx, deps.clock, { actor: input.actor, action: 'offboarding.closed', subject: { request: caseId, person: subject.id }, payload: { removals: 0 } });
    }
    // HR gets one message for the case, updated as it progresses (case.refresh intents).
    const audience = input.actorPersonId ? [input.actorPersonId] : await findRoleHolders(tx, 'hr');
    await notifyPeople(tx, now, audience, { kind: 'case.status', payload: { caseId }, dedupeKey: `case.status:${caseId}` });
    return { caseId, created: true, taskIds: planned.map((p) => p.task.id) };
  });
}
