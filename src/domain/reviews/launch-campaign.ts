import { eq } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Deps } from '../../deps.js';
import { campaign, type Campaign } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { enqueueMessages } from '../outbox/enqueue-messages.js';
import { getCampaign } from './get-campaign.js';
import type { ChatDirectory } from '../people/chat-directory.js';
import { linkChatlessReviewers } from './link-chatless-reviewers.js';
import { planLaunch } from './plan-launch.js';
import { reviewRequest } from './review-intents.js';
import { requireUuid } from './require-uuid.js';
import type { LaunchPlan, PlanSummary } from './types.js';

/** STALE_LOGIN_DAYS' default (src/config.ts). */
const DEFAULT_STALE_LOGIN_DAYS = 90;

export interface LaunchInput {
  campaignId: string;
  actor: string;
  /** Plan only: report who would review what, change nothing (but the Slack links below). */
  dryRun?: boolean;
  /** Slack's directory, when configured: reviewers without a Slack user are looked up and linked first. */
  chat?: Pick<ChatDirectory, 'userByEmail'> | undefined;
}

export interface LaunchResult {
  dryRun: boolean;
  campaign: Campaign;
  summary: PlanSummary;
}

/**
 * Freezes the population into review items and queues one DM per reviewer, all in one
 * transaction: either the campaign is launched with every item and every DM promised, or
 * nothing happened. The DMs themselves are sent later by the outbox deliverer.
 */
export async function launchCampaign(deps: Pick<Deps, 'db' | 'clock'> & { config?: Pick<Config, 'STALE_LOGIN_DAYS'> }, input: LaunchInput): Promise<LaunchResult> {
  const id = requireUuid(input.campaignId, 'campaign');
  // Slack calls happen before the transaction: a launch must not hold its locks across the network.
  const draft = await getCampaign(deps.db, id);
  assertDraft(draft);
  const lookups = input.chat ? await linkChatlessReviewers(deps, input.chat, id, input.actor) : undefined;
  if (input.dryRun) {
    return { dryRun: true, campaign: draft, summary: summarise(await planLaunch(deps.db, id, lookups)) };
  }
  return deps.db.transaction(async (tx) => {
    // The row lock makes a second, concurrent launch wait here and then see 'launched'.
    const [locked] = await tx.select().from(campaign).where(eq(campaign.id, id)).for('update');
    if (!locked) throw new AppError('NOT_FOUND', `No campaign with id ${id}`);
    assertDraft(locked);
    const now = deps.clock.now();
    if (locked.dueAt.getTime() <= now.getTime()) {
      throw new AppError('INVALID_INPUT', `Campaign "${locked.name}" was due ${locked.dueAt.toISOString()}: create a new campaign with a future due date`);
    }
    // Callers without a config (tests that pass only a database and a clock) get the default window.
    const plan = await planLaunch(tx, id, lookups, { now, staleLoginDays: deps.config?.STALE_LOGIN_DAYS ?? DEFAULT_STALE_LOGIN_DAYS });
    const [launched] = await tx
      .update(campaign)
      .set({ status: 'launched', launchedAt: now, provenance: plan.provenance as unknown as Record<string, unknown> })
      .where(eq(campaign.id, id))
      .returning();

    await enqueueMessages(tx, now, [...plan.reviewerChannels].map(([r, slack]) => reviewRequest(id, r, slack)));

    // One event for the launch: the items are in their table, and each decision is its own event.
    await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'campaign.launched',
      subject: { campaign: id },
      payload: {
        name: locked.name,
        items: plan.items,
        reviewers: plan.reviewers,
        systems: plan.systems,
        fallbacks: plan.fallbacks.length,
        excluded: plan.excluded,
        provenance: plan.provenance,
        dueAt: locked.dueAt,
      },
    });
    return { dryRun: false, campaign: launched!, summary: summarise(plan) };
  });
}

function assertDraft(c: Campaign): void {
  if (c.status === 'launched') throw new AppError('CONFLICT', `Campaign "${c.name}" is already launched`);
  if (c.status === 'closed') throw new AppError('CONFLICT', `Campaign "${c.name}" is already closed`);
}

function summarise(plan: LaunchPlan): PlanSummary {
  const { campaignId: _c, reviewerChannels: _r, withoutChat: _w, ...summary } = plan;
  return summary;
}
