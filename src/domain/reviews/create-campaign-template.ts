import { and, asc, eq } from 'drizzle-orm';
import { validate } from 'node-cron';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import {
  NON_RESPONSE_RULES,
  REVIEWER_RULES,
  SECOND_LEVEL_RULES,
  campaignTemplate,
  person,
  personRole,
  type CampaignScope,
  type CampaignTemplate,
} from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { findPersonByEmail } from '../people/find-person.js';
import { normaliseAttestation } from './attestation.js';
import { checkScope } from './check-scope.js';
import { requireUuid } from './require-uuid.js';

/** 09:00 on the first day of each quarter, in TZ. */
export const QUARTERLY = '0 9 1 1,4,7,10 *';

export interface CreateCampaignTemplateInput {
  name: string;
  cron?: string;
  durationDays?: number;
  scope?: CampaignScope;
  reviewerRule?: (typeof REVIEWER_RULES)[number];
  nonResponse?: (typeof NON_RESPONSE_RULES)[number];
  /** Copied to each campaign launched (see createCampaign). */
  secondLevel?: (typeof SECOND_LEVEL_RULES)[number] | null;
  attestation?: string | null;
  /** Owner and fallback reviewer of every campaign it launches. Default: the first admin. */
  ownerEmail?: string;
  actor: string;
}

/**
 * Schedules a recurring campaign. Its first launch is the first slot after now: a schedule
 * added mid-quarter does not launch the quarter already under way (see launchScheduledCampaigns).
 */
export async function createCampaignTemplate(deps: Pick<Deps, 'db' | 'clock'>, input: CreateCampaignTemplateInput): Promise<CampaignTemplate> {
  const name = input.name.trim();
  if (!name) throw new AppError('INVALID_INPUT', 'A schedule needs a name', { field: 'name' });
  const cron = (input.cron ?? QUARTERLY).trim().replace(/\s+/g, ' ');
  // node-cron also takes a six-field (seconds) form; periods are minute slots, so five only.
  if (cron.split(' ').length !== 5 || !validate(cron)) {
    throw new AppError('INVALID_INPUT', `"${cron}" is not a five-field cron expression such as ${QUARTERLY}`, { field: 'cron' });
  }
  const durationDays = input.durationDays ?? 14;
  if (!Number.isInteger(durationDays) || durationDays < 1 || durationDays > 365) {
    throw new AppError('INVALID_INPUT', 'Duration is a whole number of days between 1 and 365', { field: 'durationDays' });
  }
  const reviewerRule = input.reviewerRule ?? 'manager';
  if (!REVIEWER_RULES.includes(reviewerRule)) throw new AppError('INVALID_INPUT', `Reviewer rule must be one of ${REVIEWER_RULES.join(', ')}`, { field: 'reviewerRule' });
  const nonResponse = input.nonResponse ?? 'flag';
  if (!NON_RESPONSE_RULES.includes(nonResponse)) throw new AppError('INVALID_INPUT', `Non-response rule must be one of ${NON_RESPONSE_RULES.join(', ')}`, { field: 'nonResponse' });
  const secondLevel = input.secondLevel ?? null;
  if (secondLevel !== null && !SECOND_LEVEL_RULES.includes(secondLevel)) {
    throw new AppError('INVALID_INPUT', `Second level must be ${SECOND_LEVEL_RULES.join(' or ')}, or none`, { field: 'secondLevel' });
  }
  const attestation = normaliseAttestation(input.attestation);
  const scope = await checkScope(deps.db, input.scope ?? {});

  return deps.db.transaction(async (tx) => {
    const ownerId = await resolveOwnerId(tx, input.ownerEmail);
    const now = deps.clock.now();
    const rows = await tx
      .insert(campaignTemplate)
      .values({ name, cron, scope, reviewerRule, nonResponse, secondLevel, attestation, durationDays, ownerId, createdBy: input.actor, createdAt: now })
      .onConflictDoNothing()
      .returning();
    const row = rows[0];
    if (!row) throw new AppError('CONFLICT', `A schedule named "${name}" already exists`);
    // The schedule is part of the control an auditor tests, so its changes are evidence too.
    await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'campaign_template.created',
      subject: { campaignTemplate: row.id },
      payload: { name, cron, scope, reviewerRule, nonResponse, secondLevel, attestation, durationDays, ownerId },
    });
    return row;
  });
}

/** Stops future launches; campaigns already launched carry on. Disabling twice is a CONFLICT. */
export async function disableCampaignTemplate(deps: Pick<Deps, 'db' | 'clock'>, input: { id: string; actor: string }): Promise<CampaignTemplate> {
  const id = requireUuid(input.id, 'schedule');
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(campaignTemplate)
      .set({ enabled: false })
      .where(and(eq(campaignTemplate.id, id), eq(campaignTemplate.enabled, true)))
      .returning();
    if (!row) {
      const [exists] = await tx.select({ name: campaignTemplate.name }).from(campaignTemplate).where(eq(campaignTemplate.id, id));
      if (!exists) throw new AppError('NOT_FOUND', `No schedule with id ${id}`);
      throw new AppError('CONFLICT', `Schedule "${exists.name}" is already disabled`);
    }
    await appendEvidence(tx, deps.clock, { actor: input.actor, action: 'campaign_template.disabled', subject: { campaignTemplate: id }, payload: { name: row.name } });
    return row;
  });
}

async function resolveOwnerId(tx: Db, email: string | undefined): Promise<string> {
  if (email) {
    const p = await findPersonByEmail(tx, email);
    if (!p) throw new AppError('INVALID_INPUT', `No person with email ${email} to own the schedule`, { field: 'owner' });
    return p.id;
  }
  const [first] = await tx
    .select({ id: person.id })
    .from(personRole)
    .innerJoin(person, eq(person.id, personRole.personId))
    .where(eq(personRole.role, 'admin'))
    .orderBy(asc(personRole.grantedAt), asc(person.email))
    .limit(1);
  if (!first) throw new AppError('INVALID_INPUT', 'Nobody holds the admin role, so the schedule has no default owner: pass --owner <email>', { field: 'owner' });
  return first.id;
}
