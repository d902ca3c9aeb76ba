import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { accessRequest, evidenceEvent, outbox, person, reviewItem, task, type Campaign, type OutboxRow } from '../../src/db/schema/index.js';
import { approveAllRemaining } from '../../src/domain/reviews/approve-all-remaining.js';
import { closeCampaign } from '../../src/domain/reviews/close-campaign.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import { escalateOverdueReviews } from '../../src/domain/reviews/escalate-overdue-reviews.js';
import { planReviewRemovals } from '../../src/domain/reviews/plan-review-removals.js';
import { sendReminders } from '../../src/domain/reviews/send-reminders.js';
import { signOff } from '../../src/domain/reviews/sign-off.js';
import { reviewJobs } from '../../src/jobs/review-jobs.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { launchedCampaign } from '../factories/campaign.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * Reminders (only reviewers with pending items, only in their own working hours, once per
 * offset), escalation after the due date, and removals of revocations due at close.
 * Due 2026-12-31 (end of day, UTC); reminder offsets 7, 2 and 1 days.
 */
let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let org: Seeded;
let c: Campaign;

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db, { COMPLIANCE_CHANNEL: 'C0COMPLIANCE' });
  org = await seedReviewDirectory(deps);
  await t.db.update(person).set({ slackTz: 'America/New_York' }).where(eq(person.email, 'maria@acme.test'));
  await t.db.update(person).set({ slackTz: 'Asia/Tokyo' }).where(eq(person.email, 'li@acme.test'));
  c = await launchedCampaign(deps);
  // ceo decides everything at once and signs off: nobody with nothing left to do is reminded.
  await approveAllRemaining(deps, { campaignId: c.id, actorPersonId: id('ceo') });
  await signOff(deps, { campaignId: c.id, reviewerId: id('ceo'), actorPersonId: id('ceo') });
});
afterAll(async () => {
  await t?.drop();
});

const id = (name: string) => org.people[name]!.id;
const rows = async (kind: string) => t.db.select().from(outbox).where(eq(outbox.kind, kind));
const recipients = async (kind: string) => (await rows(kind)).map((r) => r.channel).sort();
const at = (iso: string) => {
  deps.clock.set(iso);
  return new Date(iso);
};

describe('reminders', () => {
  it('sends nothing before the first reminder offset', async () => {
    expect(await sendReminders(deps, at('2026-12-20T10:00:00Z'))).toEqual({ queued: 0, deferred: 0 });
  });

  it('reminds only reviewers with pending items, each within 9:00–17:00 of their own zone', async () => {
    // 10:00 UTC: comp (no zone: company TZ, UTC) yes; maria 05:00 in New York and li 19:00 in Tokyo wait.
    expect(await sendReminders(deps, at('2026-12-25T10:00:00Z'))).toEqual({ queued: 1, deferred: 2 });
    expect(await recipients('review.reminder')).toEqual(['U8']);
    // 15:00 UTC is 10:00 in New York; Tokyo is at midnight.
    expect(await sendReminders(deps, at('2026-12-25T15:00:00Z'))).toEqual({ queued: 1, deferred: 1 });
    // 01:00 UTC is 10:00 in Tokyo.
    expect(await sendReminders(deps, at('2026-12-26T01:00:00Z'))).toEqual({ queued: 1, deferred: 0 });
    expect(await recipients('review.reminder')).toEqual(['U2', 'U3', 'U8']);
    expect((await rows('review.reminder')).every((r) => r.payload.offsetDays === 7)).toBe(true);
    expect(await recipients('review.reminder')).not.toContain('U1');
  });

  it('sends each offset once, however often the job runs', async () => {
    expect(await sendReminders(deps, at('2026-12-26T12:00:00Z'))).toEqual({ queued: 0, deferred: 0 });
    const runs = reviewJobs(deps);
    expect(runs.map((j) => [j.name, j.schedule])).toEqual([
      ['review-reminders', '*/15 * * * *'],
      ['review-exception-reminders', '*/15 * * * *'],
      ['review-escalations', '*/15 * * * *'],
      ['review-removals', '*/15 * * * *'],
      ['review-scheduled-launch', '* * * * *'],
    ]);
    expect(await runs[0]!.run()).toBe('queued 0, deferred 0');
    expect(await rows('review.reminder')).toHaveLength(3);
    const events = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'review.reminded'));
    expect(events).toHaveLength(3);
  });

  it('moves on to the next offset two days before the due date', async () => {
    expect((await sendReminders(deps, at('2026-12-30T12:00:00Z'))).queued).toBe(1); // comp (UTC); maria 07:00, li 21:00
    expect((await rows('review.reminder')).filter((r) => r.payload.offsetDays === 2).map((r) => r.channel)).toEqual(['U8']);
  });

  it('renders a reminder with the pending count and the due date in the reviewer’s zone', async () => {
    const row = (await rows('review.reminder')).find((r) => r.channel === 'U2')!;
    const plan = await RENDERERS['review.reminder']!(deps, row);
    expect(plan?.messages[0]!.text).toMatch(/^Reminder: \d+ items to review in “Q4 2026 access review” by Thu, 31 Dec 2026, 18:59 GMT-5$/);
  });
});

describe('escalation after the due date', () => {
  it('tells each late reviewer’s manager and the compliance channel, once', async () => {
    expect((await escalateOverdueReviews(deps, at('2026-12-31T12:00:00Z'))).escalated).toBe(0);
    const { escalated } = await escalateOverdueReviews(deps, at('2027-01-01T10:00:00Z'));
    expect(escalated).toBe(3); // maria, li and comp still have pending items
    const sent = await rows('review.escalation');
    const to = (audience: string) => sent.filter((r) => r.payload.audience === audience).map((r) => r.channel).sort();
    expect(to('manager')).toEqual(['U1', 'U1', 'U2']); // maria's and comp's manager is ceo; li's is maria
    expect(to('compliance')).toEqual(['C0COMPLIANCE', 'C0COMPLIANCE', 'C0COMPLIANCE']);
    expect((await escalateOverdueReviews(deps, at('2027-01-01T10:15:00Z'))).escalated).toBe(0);
    const events = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'review.escalated'));
    expect(events).toHaveLength(3);
    // Keyed as the evidence export reads it: campaign and reviewer, the manager by email.
    expect(events.find((e) => e.subject.reviewer === id('li'))).toMatchObject({ subject: { campaign: c.id }, payload: { toEmail: 'maria@acme.test', notified: ['manager', 'compliance'] } });
    expect(await rows('review.escalation')).toHaveLength(6);
    const plan = await RENDERERS['review.escalation']!(deps, sent.find((r) => r.channel === 'U2') as OutboxRow);
    expect(plan?.messages[0]!.text).toMatch(/^Overdue access review: li has \d+ undecided items/);
  });
});

describe('removals of revocations', () => {
  it('plans "at campaign close" revocations only once the campaign is closed', async () => {
    const grantId = await org.grantOf('u3', 'g2'); // li's AWS Admins, reviewed by maria
    const [item] = await t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.grantId, grantId)));
    const r = await decideItem(deps, { itemId: item!.id, decision: 'revoked', reason: 'no longer on call', removalTiming: 'close', actorPersonId: id('maria') });
    expect(r.outcome).toBe('recorded');
    const requestId = r.outcome === 'recorded' ? r.requestId! : '';
    expect(await planReviewRemovals(deps)).toEqual({ planned: 0, failed: 0 });
    await closeCampaign(deps, { campaignId: c.id, actor: 'test' });
    expect(await planReviewRemovals(deps)).toEqual({ planned: 1, failed: 0 });
    expect(await t.db.select().from(task).where(eq(task.requestId, requestId))).toHaveLength(1);
    expect((await t.db.select().from(accessRequest).where(eq(accessRequest.id, requestId)))[0]!.status).toBe('in_progress');
    expect(await planReviewRemovals(deps)).toEqual({ planned: 0, failed: 0 });
    const summary = await RENDERERS['campaign.summary']!(deps, (await rows('campaign.summary'))[0]!);
    expect(summary).toMatchObject({ mode: 'post', channel: 'C0COMPLIANCE' });
    expect(summary!.messages[0]!.text).toMatch(/^Access review closed “Q4 2026 access review”: \d+ approved, 1 revoked, \d+ undecided$/);
  });
});
