import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import {
  NON_RESPONSE_RULES,
  REVIEWER_RULES,
  SECOND_LEVEL_RULES,
  campaign,
  person,
  personRole,
  type Campaign,
  type CampaignScope,
} from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { normaliseAttestation } from './attestation.js';
import { findPersonByEmail } from '../people/find-person.js';
import { parseDueDate } from './parse-due-date.js';
import { checkScope } from './check-scope.js';

export interface CreateCampaignInput {
  name: string;
  /** `2026-12-31` (end of that day in TZ), an ISO date-time, or a Date. */
  dueAt: string | Date;
  scope?: CampaignScope;
  reviewerRule?: (typeof REVIEWER_RULES)[number];
  nonResponse?: (typeof NON_RESPONSE_RULES)[number];
  reminderOffsetsDays?: number[];
  /** `owner`: approved privileged items go to the resource's owner for a second decision. Default: none. */
  secondLevel?: (typeof SECOND_LEVEL_RULES)[number] | null;
  /** The campaign owner, who is also the fallback reviewer. Default: the first admin. */
  ownerEmail?: string;
  /** The sign-off statement reviewers attest to; blank or absent: the default wording. */
  attestation?: string | null;
  actor: string;
}

/** Creates a draft campaign. Nothing is frozen until launch, so a draft can be dry-run freely. */
export async function createCampaign(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: CreateCampaignInput): Promise<Campaign> {
  const name = input.name.trim();
  if (!name) throw new AppError('INVALID_INPUT', 'A campaign needs a name', { field: 'name' });
  const reviewerRule = input.reviewerRule ?? 'manager';
  if (!REVIEWER_RULES.includes(reviewerRule)) throw new AppError('INVALID_INPUT', `Reviewer rule must be one of ${REVIEWER_RULES.join(', ')}`, { field: 'reviewerRule' });
  const nonResponse = input.nonResponse ?? 'flag';
  if (!NON_RESPONSE_RULES.includes(nonResponse)) throw new AppError('INVALID_INPUT', `Non-response rule must be one of ${NON_RESPONSE_RULES.join(', ')}`, { field: 'nonResponse' });
  const secondLevel = input.secondLevel ?? null;
  if (secondLevel !== null && !SECOND_LEVEL_RULES.includes(secondLevel)) {
    throw new AppError('INVALID_INPUT', `Second level must be ${SECOND_LEVEL_RULES.join(' or ')}, or none`, { field: 'secondLevel' });
  }
  const reminders = input.reminderOffsetsDays ?? [7, 2, 1];
  if (!reminders.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new AppError('INVALID_INPUT', 'Reminder offsets are whole days before the due date, such as 7,2,1', { field: 'reminderOffsetsDays' });
  }
  const attestation = normaliseAttestation(input.attestation);
  const now = deps.clock.now();
  const dueAt = parseDueDate(input.dueAt, { tz: deps.config.TZ, now });
  const scope = await checkScope(deps.db, input.scope ?? {});

  return deps.db.transaction(async (tx) => {
    const owner = await resolveOwner(tx, input.ownerEmail);
    const [row] = await tx
      .insert(campaign)
      .values({
        name,
        scope,
        reviewerRule,
        nonResponse,
        secondLevel,
        reminderOffsetsDays: [...new Set(reminders)].sort((a, b) => b - a),
        attestation,
        ownerId: owner.id,
        status: 'draft',
        dueAt,
        createdBy: input.actor,
        createdAt: now,
      })
      .returning();
    await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'campaign.created',
      subject: { campaign: row!.id },
      payload: { name, dueAt, scope, reviewerRule, nonResponse, secondLevel, reminderOffsetsDays: row!.reminderOffsetsDays, ownerId: owner.id, ownerEmail: owner.email, attestation },
    });
    return row!;
  });
}

async function resolveOwner(tx: Db, email: string | undefined): Promise<{ id: string; email: string }> {
  if (email) {
    const p = await findPersonByEmail(tx, email);
    if (!p) throw new AppError('INVALID_INPUT', `No person with email ${email} to own the campaign`, { field: 'owner' });
    return p;
  }
  // The first admin is the most stable default: the one seeded from ATTEST_ADMINS at first start.
  const [first] = await tx
    .select({ id: person.id, email: person.email })
    .from(personRole)
    .innerJoin(person, eq(person.id, personRole.personId))
    .where(eq(personRole.role, 'admin'))
    .orderBy(asc(personRole.grantedAt), asc(person.email))
    .limit(1);
  if (!first) {
    throw new AppError('INVALID_INPUT', 'Nobody holds the admin role, so the campaign has no default owner: pass --owner <email> or run attest roles grant admin <email>', { field: 'owner' });
  }
  return first;
}
