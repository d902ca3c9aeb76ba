import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { accessRequest } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { findOpenCase, lockPersonCases } from './find-open-case.js';
import { findTemplateResources } from './find-template-resources.js';
import { findRoleHolders, notifyPeople } from './notify-people.js';
import { planProvisioning } from './plan-provisioning.js';
import { requireRole } from './require-role.js';
import type { CaseOrigin } from './start-offboarding.js';
import { upsertHire, type HireDetails } from './upsert-hire.js';

export interface StartOnboardingInput extends HireDetails {
  /** Day one: automated provisioning waits for it, and every task is due by then. */
  startDate: Date;
  actor: string;
  actorPersonId?: string | null;
  origin: CaseOrigin;
}

export interface StartOnboardingResult {
  caseId: string;
  personId: string;
  created: boolean;
  taskIds: string[];
}

/**
 * Opens an onboarding case: the person exists and is active, and every resource the matching
 * access templates list becomes an approved grant request (approved by the template) with a
 * provisioning task. The manager is told what the person will have; HR gets the case message.
 */
export async function startOnboarding(
  deps: Pick<Deps, 'db' | 'clock'>,
  registry: ConnectorRegistry,
  input: StartOnboardingInput,
): Promise<StartOnboardingResult> {
  if (input.actorPersonId) {
    await requireRole(deps, {
      actorPersonId: input.actorPersonId,
      role: 'hr',
      attempted: 'onboarding.start',
      subject: { email: input.email },
      message: 'Only HR can start onboarding.',
    });
  }
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const hire = await upsertHire(tx, now, input);
    const p = hire.person;
    await lockPersonCases(tx, p.id);
    const open = await findOpenCase(tx, p.id, 'onboard');
    if (open) return { caseId: open.id, personId: p.id, created: false, taskIds: [] };
    const [kase] = await tx
      .insert(accessRequest)
      .values({
        kind: 'onboard',
        status: 'in_progress',
        subjectPersonId: p.id,
        requestedBy: input.actor,
        origin: input.origin,
        details: { department: p.department, title: p.title, managerEmail: input.managerEmail ?? null },
        effectiveAt: input.startDate,
        dueAt: input.startDate,
        createdAt: now,
      })
      .returning({ id: accessRequest.id });
    const caseId = kase!.id;
    const birthright = await findTemplateResources(tx, p);
    const tasks = [];
    for (const b of birthright) {
      const [req] = await tx
        .insert(accessRequest)
        .values({
          kind: 'grant',
          status: 'approved',
          parentId: caseId,
          subjectPersonId: p.id,
          resourceId: b.resourceId,
          requestedBy: input.actor,
          approvedBy: `template:${b.templateName}`,
          approvedAt: now,
          reason: 'birthright access',
          origin: input.origin,
          createdAt: now,
        })
        .returning({ id: accessRequest.id });
      tasks.push(await planProvisioning(tx, deps, registry, { requestId: req!.id, actor: input.actor, notBefore: input.startDate, deadline: input.startDate }));
    }
    await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'onboarding.started',
      subject: { request: caseId, person: p.id },
      payload: {
        email: p.email,
        personCreated: hire.created,
        startDate: input.startDate,
        managerId: p.managerId,
        unknownManagerEmail: hire.unknownManagerEmail,
        origin: input.origin,
        tasks: tasks.map((t) => ({ task: t.id, request: t.requestId, action: t.action, description: t.description, automated: t.automated, ownerId: t.ownerId, ownerRole: t.ownerRole })),
      },
    });
    if (tasks.length === 0) {
      await tx.update(accessRequest).set({ status: 'done', doneAt: now, carriedOutBy: input.actor }).where(eq(accessRequest.id, caseId));
    }
    const hr = input.actorPersonId ? [input.actorPersonId] : await findRoleHolders(tx, 'hr');
    await notifyPeople(tx, now, p.managerId ? [p.managerId] : hr, { kind: 'onboarding.summary', payload: { caseId }, dedupeKey: `onboarding.summary:${caseId}` });
    await notifyPeople(tx, now, hr, { kind: 'case.status', payload: { caseId }, dedupeKey: `case.status:${caseId}` });
    return { caseId, personId: p.id, created: true, taskIds: tasks.map((t) => t.id) };
  });
}
