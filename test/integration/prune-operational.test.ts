import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { accessRequest, campaign, evidenceEvent, jobSlot, outbox, person, reviewItem, slackMessage, task } from '../../src/db/schema/index.js';
import { appendEvidence } from '../../src/domain/evidence/append-evidence.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';
import { pruneOperational } from '../../src/domain/outbox/prune-operational.js';
import { pruneJob } from '../../src/jobs/prune-job.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

let t: TestDatabase;
const NOW = new Date('2027-03-01T03:30:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const OLD = daysAgo(120);
const RECENT = daysAgo(10);

const deps = () => {
  const d = testDeps(t.db, { OPERATIONAL_RETENTION_DAYS: '90' });
  d.clock.set(NOW);
  return d;
};

let reviewer: string;
let openCampaign: string;
let closedCampaign: string;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

beforeEach(async () => {
  for (const table of ['slack_message', 'outbox', 'job_slot', 'task', 'access_request', 'review_item', 'campaign', 'person']) await t.raw(`delete from ${table}`);
  reviewer = randomUUID();
  openCampaign = randomUUID();
  closedCampaign = randomUUID();
  await t.db.insert(person).values({ id: reviewer, email: `r-${reviewer}@example.test`, name: 'Reviewer', slackUserId: `U${reviewer.slice(0, 8)}` });
  await t.db.insert(campaign).values([
    { id: openCampaign, name: 'Long open', ownerId: reviewer, status: 'launched', dueAt: daysAgo(100), createdBy: 'test', createdAt: daysAgo(200), launchedAt: daysAgo(200) },
    { id: closedCampaign, name: 'Closed long ago', ownerId: reviewer, status: 'closed', dueAt: daysAgo(300), createdBy: 'test', createdAt: daysAgo(400), launchedAt: daysAgo(400), closedAt: daysAgo(200) },
  ]);
});

const sentRow = (key: string, sentAt: Date, payload: Record<string, unknown> = {}, status: 'sent' | 'pending' | 'sending' | 'undeliverable' | 'failed' = 'sent') => ({
  kind: 'test.post',
  channel: 'C1',
  dedupeKey: key,
  payload,
  status,
  nextAttemptAt: sentAt,
  createdAt: sentAt,
  sentAt: status === 'sent' ? sentAt : null,
});
const message = (threadKey: string, updatedAt: Date) => ({ threadKey, page: 0, channel: 'D1', ts: '1.0001', outboxId: randomUUID(), updatedAt });
const keys = async () => (await t.db.select({ k: outbox.dedupeKey }).from(outbox)).map((r) => r.k).sort();
const threads = async () => (await t.db.select({ k: slackMessage.threadKey }).from(slackMessage)).map((r) => r.k).sort();

describe('pruning operational data', () => {
  it('deletes sent outbox rows older than the window and keeps recent and unsent ones', async () => {
    await t.db.insert(outbox).values([
      sentRow('old-sent', OLD),
      sentRow('recent-sent', RECENT),
      sentRow('old-pending', OLD, {}, 'pending'),
      sentRow('old-sending', OLD, {}, 'sending'),
      sentRow('old-undeliverable', OLD, {}, 'undeliverable'),
      sentRow('old-failed', OLD, {}, 'failed'),
      sentRow('old-closed-campaign', OLD, { campaignId: closedCampaign, reviewerId: reviewer }),
    ]);
    const r = await pruneOperational(deps());
    expect(r.outbox).toBe(2);
    expect(await keys()).toEqual(['old-failed', 'old-pending', 'old-sending', 'old-undeliverable', 'recent-sent']);
  });

  it('keeps the sent reminders of a campaign still open, so the reminder job does not send them again', async () => {
    await t.db.insert(outbox).values(sentRow(`review.reminder:${openCampaign}:${reviewer}:7`, OLD, { campaignId: openCampaign, reviewerId: reviewer }));
    expect((await pruneOperational(deps())).outbox).toBe(0);
    expect(await keys()).toEqual([`review.reminder:${openCampaign}:${reviewer}:7`]);
  });

  it('keeps the Slack message records an open campaign still refreshes, and prunes those of a campaign closed long ago', async () => {
    await t.db.insert(slackMessage).values([
      message(`review:${openCampaign}:${reviewer}`, OLD),
      message(`review:${closedCampaign}:${reviewer}`, OLD),
      message('something:else', OLD),
    ]);
    const r = await pruneOperational(deps());
    expect(r.slackMessages).toBe(1);
    expect(await threads()).toEqual([`review:${openCampaign}:${reviewer}`, 'something:else']);
  });

  it('keeps the message of a case that a sync may still verify, and of a task still open', async () => {
    const doneCase = randomUUID();
    const verifiedCase = randomUUID();
    await t.db.insert(accessRequest).values([
      { id: doneCase, kind: 'offboard', status: 'done', requestedBy: 'hr:test', createdAt: daysAgo(300) },
      { id: verifiedCase, kind: 'offboard', status: 'verified', requestedBy: 'hr:test', createdAt: daysAgo(300) },
    ]);
    const [openTask, doneTask] = await t.db
      .insert(task)
      .values([
        { requestId: doneCase, action: 'manual', description: 'open', status: 'open', createdAt: daysAgo(300) },
        { requestId: doneCase, action: 'manual', description: 'done', status: 'done', createdAt: daysAgo(300) },
      ])
      .returning({ id: task.id });
    await t.db.insert(slackMessage).values([
      message(`case:${doneCase}:${reviewer}`, OLD),
      message(`case:${verifiedCase}:${reviewer}`, OLD),
      message(`task:${openTask!.id}:${reviewer}`, OLD),
      message(`task:${doneTask!.id}:${reviewer}`, OLD),
    ]);
    expect((await pruneOperational(deps())).slackMessages).toBe(2);
    expect(await threads()).toEqual([`case:${doneCase}:${reviewer}`, `task:${openTask!.id}:${reviewer}`]);
  });

  it('keeps a finished thing\'s message while a refresh of it is still to be sent', async () => {
    await t.db.insert(slackMessage).values(message(`review:${closedCampaign}:${reviewer}`, OLD));
    await t.db.insert(outbox).values({ ...sentRow('refresh', RECENT, { campaignId: closedCampaign, reviewerId: reviewer }, 'pending'), kind: 'review.refresh', dedupeKey: null });
    expect((await pruneOperational(deps())).slackMessages).toBe(0);
  });

  it('deletes finished job slots past the window and never an unfinished one', async () => {
    await t.db.insert(jobSlot).values([
      { job: 'sync', slot: 'sync:old', claimedBy: 'a:1', claimedAt: OLD, leaseUntil: OLD, finishedAt: OLD, outcome: 'finished' },
      { job: 'sync', slot: 'sync:recent', claimedBy: 'a:1', claimedAt: RECENT, leaseUntil: RECENT, finishedAt: RECENT, outcome: 'finished' },
      { job: 'sync', slot: 'sync:unfinished', claimedBy: 'a:1', claimedAt: OLD, leaseUntil: OLD },
    ]);
    expect((await pruneOperational(deps())).jobSlots).toBe(1);
    expect((await t.db.select({ s: jobSlot.slot }).from(jobSlot)).map((r) => r.s).sort()).toEqual(['sync:recent', 'sync:unfinished']);
  });

  it('deletes in bounded batches until nothing old is left', async () => {
    await t.db.insert(outbox).values(Array.from({ length: 7 }, (_, i) => sentRow(`old-${i}`, OLD)));
    const r = await pruneOperational(deps(), { batch: 3 });
    expect(r.outbox).toBe(7);
    expect(await keys()).toEqual([]);
  });

  it('leaves the evidence log, review items, requests and campaigns as they were, and the chain verifies', async () => {
    const d = deps();
    await t.db.insert(reviewItem).values({ campaignId: closedCampaign, grantId: randomUUID(), reviewerId: reviewer, decision: 'approved', snapshot: {} as never });
    await t.db.transaction((tx) => appendEvidence(tx, { now: () => OLD }, { actor: 'test', action: 'campaign.closed', subject: { campaign: closedCampaign }, payload: {} }));
    await t.db.insert(outbox).values(sentRow('old', OLD, { campaignId: closedCampaign }));
    const count = async () => {
      const n = (table: typeof evidenceEvent | typeof reviewItem | typeof campaign | typeof accessRequest) =>
        t.db.select({ n: sql<number>`count(*)::int` }).from(table).then(([r]) => r?.n);
      return [await n(evidenceEvent), await n(reviewItem), await n(campaign), await n(accessRequest)];
    };
    const before = await count();
    expect(before.slice(1, 3)).toEqual([1, 2]);
    const outcome = await pruneJob(d).run();
    expect(outcome).toBe('pruned outbox 1, slack messages 0, job slots 0');
    expect(await count()).toEqual(before);
    expect(await verifyChain(t.db)).toMatchObject({ ok: true });
  });
});
