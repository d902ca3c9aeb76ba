import { and, eq } from 'drizzle-orm';
import { createTask, parse } from 'node-cron';
import type { Deps } from '../../deps.js';
import { campaign } from '../../db/schema/index.js';
import type { ChatDirectory } from '../people/chat-directory.js';
import { linkPeopleByEmailLookup } from '../people/link-people-by-email-lookup.js';
import { createCampaign, type CreateCampaignInput } from './create-campaign.js';
import { findCampaignTemplates, type CampaignTemplateRow } from './find-campaign-templates.js';
import { launchCampaign } from './launch-campaign.js';
import { findChatlessReviewers } from './link-chatless-reviewers.js';

const ACTOR = 'job:scheduled-launch';
const DAY_MS = 86_400_000;

export interface ScheduledLaunchReport {
  launched: { templateId: string; period: string; campaignId: string }[];
  /** Another replica (or an earlier run) launched that period first. */
  skipped: number;
  failed: { templateId: string; period: string; error: string }[];
}

/**
 * Launches, for each enabled schedule, the campaign of its latest slot (per its cron, in TZ) if
 * that slot is due and has no campaign yet. A late run catches up on the latest slot only. The
 * unique (template_id, period) index is the arbiter: a racing replica's transaction fails on it
 * and rolls back its draft and evidence, so each period launches exactly once. With Slack's
 * directory (`chat`), reviewers still without a Slack user are looked up by email first, as
 * `attest campaign launch` does.
 */
export async function launchScheduledCampaigns(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>,
  now: Date,
  chat?: Pick<ChatDirectory, 'userByEmail'>,
): Promise<ScheduledLaunchReport> {
  const report: ScheduledLaunchReport = { launched: [], skipped: 0, failed: [] };
  for (const t of await findCampaignTemplates(deps.db, { enabledOnly: true })) {
    // Slots before the schedule existed are not owed: adding a schedule mid-quarter must not
    // DM every reviewer at once for a quarter that may already have been reviewed by hand.
    const slot = previousSlot(t.cron, deps.config.TZ, now, t.createdAt);
    if (!slot) continue;
    const period = slotPeriod(slot, deps.config.TZ);
    const [existing] = await deps.db.select({ id: campaign.id }).from(campaign).where(and(eq(campaign.templateId, t.id), eq(campaign.period, period)));
    if (existing) continue;
    try {
      if (chat) await linkChatlessReviewersOf(deps, chat, t, period, now);
      const campaignId = await launchOne(deps, t, period, now);
      report.launched.push({ templateId: t.id, period, campaignId });
    } catch (err) {
      if (isPeriodTaken(err)) {
        report.skipped += 1;
        continue;
      }
      // One bad schedule (an owner who left, an empty scope) must not hold up the others; it is
      // retried on the next run, so the log says so each time until someone fixes it.
      deps.logger.warn({ err, template: t.id, period }, 'scheduled campaign launch failed');
      report.failed.push({ templateId: t.id, period, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}

/** Create, stamp with the period, and launch in one transaction: all of it or none of it. */
async function launchOne(deps: Pick<Deps, 'db' | 'clock' | 'config'>, t: CampaignTemplateRow, period: string, now: Date): Promise<string> {
  return deps.db.transaction(async (tx) => {
    const txDeps = { ...deps, db: tx };
    const draft = await createCampaign(txDeps, draftOf(t, period, now));
    await tx.update(campaign).set({ templateId: t.id, period }).where(eq(campaign.id, draft.id));
    await launchCampaign(txDeps, { campaignId: draft.id, actor: ACTOR });
    return draft.id;
  });
}

function draftOf(t: CampaignTemplateRow, period: string, now: Date): CreateCampaignInput {
  return {
    name: `${t.name} ${period.slice(0, 10)}`,
    dueAt: new Date(now.getTime() + t.durationDays * DAY_MS),
    scope: t.scope,
    reviewerRule: t.reviewerRule,
    nonResponse: t.nonResponse,
    secondLevel: t.secondLevel,
    attestation: t.attestation,
    ownerEmail: t.ownerEmail,
    actor: ACTOR,
  };
}

/** Carries the probe's answer out of the transaction it rolls back. */
class Probed {
  constructor(readonly personIds: string[]) {}
}

/**
 * Links, by users.lookupByEmail, the reviewers this period's campaign would pass over for
 * having no Slack user. The Slack calls happen before the launch's transaction, which holds the
 * evidence chain's lock from its first event: every other writer of evidence would wait on
 * Slack. Who to look up is known only from a plan of a campaign, so the draft is created and
 * planned in a transaction that is then rolled back (the launch plans it again, linked).
 */
async function linkChatlessReviewersOf(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  chat: Pick<ChatDirectory, 'userByEmail'>,
  t: CampaignTemplateRow,
  period: string,
  now: Date,
): Promise<void> {
  let personIds: string[] = [];
  try {
    await deps.db.transaction(async (tx) => {
      const draft = await createCampaign({ ...deps, db: tx }, draftOf(t, period, now));
      throw new Probed(await findChatlessReviewers(tx, draft.id));
    });
  } catch (err) {
    if (!(err instanceof Probed)) throw err;
    personIds = err.personIds;
  }
  // A failed lookup is an outcome, not an error: that reviewer falls back as without Slack.
  await linkPeopleByEmailLookup(deps, chat, personIds, ACTOR);
}

/** Postgres (postgres-js) and PGlite both say which index refused the row; drizzle wraps it as `cause`. */
function isPeriodTaken(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === '23505' && e.message.includes('campaign_template_period_uq')) return true;
  }
  return false;
}

/** The slot's local date and time in TZ: readable, and unique per slot of a minute-granular cron. */
export function slotPeriod(slot: Date, tz: string): string {
  const p = localParts(slot, tz);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * The latest time ≤ now at which `expression` fires in `tz`, or null if none since `notBefore`.
 * Walks local days backwards, cheaply ruling out days by month/day/weekday, and for a candidate
 * day tries its hour × minute combinations from the latest down; node-cron's own matcher has the
 * last word (it knows L, W and #). A quarterly cron costs ~90 day checks, not ~130k minutes.
 */
export function previousSlot(expression: string, tz: string, now: Date, notBefore: Date): Date | null {
  const f = parse(expression);
  const task = createTask(expression, () => undefined, { timezone: tz });
  try {
    const end = Math.floor(now.getTime() / 60_000) * 60_000;
    const floor = notBefore.getTime();
    const today = localParts(new Date(end), tz);
    const hours = [...f.hour].sort((a, b) => b - a);
    const minutes = [...f.minute].sort((a, b) => b - a);
    for (let i = 0; i < 366 * 8; i++) {
      const d = new Date(Date.UTC(today.year, today.month - 1, today.day - i));
      const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
      if (d.getTime() + DAY_MS < floor - DAY_MS) return null; // the whole day is before notBefore
      if (!f.month.includes(month) || !mayMatch(f.dayOfMonth, day) || !mayMatch(f.dayOfWeek, d.getUTCDay())) continue;
      for (const hour of hours) {
        for (const minute of minutes) {
          const ts = zonedToUtc({ year, month, day, hour, minute }, tz);
          if (ts > end) continue;
          if (ts < floor) return null;
          if (task.match(new Date(ts))) return new Date(ts);
        }
      }
    }
    return null;
  } finally {
    void task.destroy(); // createTask registers the task globally; this unregisters it
  }
}

/** Plain numbers are checked here; tokens such as `L`, `5W` or `1#2` are left to node-cron. */
const mayMatch = (field: (number | string)[], v: number) => field.some((x) => typeof x === 'string' || x === v || (v === 0 && x === 7));

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, tz: string): LocalParts {
  let fmt = formats.get(tz);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formats.set(tz, fmt);
  }
  const parts = fmt.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** Local wall time → UTC ms. A time skipped by DST maps to another wall time, which node-cron then refuses. */
function zonedToUtc(p: LocalParts, tz: string): number {
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  const offsetAt = (ts: number) => {
    const l = localParts(new Date(ts), tz);
    return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - Math.floor(ts / 60_000) * 60_000;
  };
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}
