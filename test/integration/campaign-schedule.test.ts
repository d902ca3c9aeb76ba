import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/client.js';
import { campaign, evidenceEvent, outbox, type CampaignTemplate } from '../../src/db/schema/index.js';
import { QUARTERLY, createCampaignTemplate, disableCampaignTemplate } from '../../src/domain/reviews/create-campaign-template.js';
import { findCampaignTemplates } from '../../src/domain/reviews/find-campaign-templates.js';
import { launchScheduledCampaigns, previousSlot } from '../../src/domain/reviews/launch-scheduled-campaigns.js';
import { seedReviewDirectory } from '../factories/review-directory.js';
import { OVERLAP, createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let tpl: CampaignTemplate;
const at = (iso: string) => new Date(iso);
const created = (action: string) => t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, action));
const ofTemplate = () => t.db.select().from(campaign).where(eq(campaign.templateId, tpl.id));

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  await seedReviewDirectory(deps);
  // Added mid-quarter: Q3 (2026-07-01) is not owed, Q4 (2026-10-01 09:00) is the first slot.
  tpl = await createCampaignTemplate({ ...deps, clock: fixedClock('2026-08-15T12:00:00Z') }, { name: 'Quarterly access review', ownerEmail: 'comp@acme.test', actor: 'test' });
}, 60_000);
afterAll(() => t.drop());

describe('campaign schedules', () => {
  it('defaults to quarterly and refuses a cron that is not five fields', async () => {
    expect(tpl).toMatchObject({ cron: QUARTERLY, durationDays: 14, enabled: true });
    await expect(createCampaignTemplate(deps, { name: 'x', cron: '0 0 9 1 1 *', actor: 'test' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'cron' });
    await expect(createCampaignTemplate(deps, { name: 'x', cron: '61 * * * *', actor: 'test' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'cron' });
    await expect(createCampaignTemplate(deps, { name: 'quarterly ACCESS review', actor: 'test' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await created('campaign_template.created')).toHaveLength(1);
  });

  it('finds the latest slot in TZ, and none before the schedule existed', () => {
    expect(previousSlot(QUARTERLY, 'Europe/Paris', at('2026-11-15T12:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual(at('2026-10-01T07:00:00Z'));
    expect(previousSlot(QUARTERLY, 'UTC', at('2026-10-01T08:59:00Z'), at('2026-01-01T00:00:00Z'))).toEqual(at('2026-07-01T09:00:00Z'));
    expect(previousSlot(QUARTERLY, 'UTC', at('2026-09-30T00:00:00Z'), at('2026-08-15T12:00:00Z'))).toBeNull();
    expect(previousSlot('0 0 L * *', 'UTC', at('2026-11-15T12:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual(at('2026-10-31T00:00:00Z'));
  });

  it('launches nothing before the first slot', async () => {
    expect(await launchScheduledCampaigns(deps, at('2026-10-01T08:59:00Z'))).toEqual({ launched: [], skipped: 0, failed: [] });
    expect(await ofTemplate()).toHaveLength(0);
  });

  it('launches the slot once, however often the job runs', async () => {
    const first = await launchScheduledCampaigns(deps, at('2026-10-01T09:00:30Z'));
    expect(first.launched).toEqual([{ templateId: tpl.id, period: '2026-10-01T09:00', campaignId: expect.any(String) }]);
    expect((await launchScheduledCampaigns(deps, at('2026-10-01T09:15:00Z'))).launched).toEqual([]);
    const rows = await ofTemplate();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'launched', period: '2026-10-01T09:00', name: 'Quarterly access review 2026-10-01' });
    // Due `durationDays` after the run that launched it, not after the slot.
    expect(rows[0]!.dueAt).toEqual(at('2026-10-15T09:00:30Z'));
    expect(await created('campaign.launched')).toHaveLength(1);
  });

  it(`launches once when two callers race for the same slot (${OVERLAP})`, async () => {
    // Postgres: a second pool, so the two transactions really overlap and one meets the index.
    const second = t.url ? await openDatabase({ url: t.url, max: 4 }) : undefined;
    try {
      const now = at('2027-01-01T09:01:00Z');
      const [a, b] = await Promise.all([launchScheduledCampaigns(deps, now), launchScheduledCampaigns({ ...deps, db: second?.db ?? t.db }, now)]);
      expect(a.launched.length + b.launched.length).toBe(1);
      expect(a.failed.concat(b.failed)).toEqual([]);
    } finally {
      await second?.close();
    }
    const periods = (await ofTemplate()).map((c) => c.period).sort();
    expect(periods).toEqual(['2026-10-01T09:00', '2027-01-01T09:00']);
    const launched = await created('campaign.launched');
    expect(launched).toHaveLength(2);
    // The loser rolled back its draft and its campaign.created event together.
    expect(await created('campaign.created')).toHaveLength(2);
    const dms = await t.db.select().from(outbox).where(eq(outbox.kind, 'review.request'));
    expect(new Set(dms.map((d) => `${String(d.payload.campaignId)}:${d.channel}`)).size).toBe(dms.length);
  });

  it('launches again next period and never after being disabled', async () => {
    expect((await launchScheduledCampaigns(deps, at('2027-04-01T09:00:00Z'))).launched).toHaveLength(1);
    const [listed] = await findCampaignTemplates(t.db);
    expect(listed).toMatchObject({ ownerEmail: 'comp@acme.test', lastPeriod: '2027-04-01T09:00' });
    await disableCampaignTemplate(deps, { id: tpl.id, actor: 'test' });
    await expect(disableCampaignTemplate(deps, { id: tpl.id, actor: 'test' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await launchScheduledCampaigns(deps, at('2027-07-01T09:00:00Z'))).launched).toEqual([]);
    expect(await ofTemplate()).toHaveLength(3);
  });
});

describe('a schedule with a second level and its own attestation', () => {
  it('launches campaigns that carry both, and refuses an unknown second level', async () => {
    const clock = fixedClock('2026-08-15T12:00:00Z');
    await expect(createCampaignTemplate({ ...deps, clock }, { name: 'Bad level', secondLevel: 'manager' as never, actor: 'test' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'secondLevel' });
    const admins = await createCampaignTemplate(
      { ...deps, clock },
      { name: 'Monthly admins', cron: '0 8 1 * *', secondLevel: 'owner', attestation: '  Every admin right below is still needed.  ', ownerEmail: 'comp@acme.test', actor: 'test' },
    );
    expect(admins).toMatchObject({ secondLevel: 'owner', attestation: 'Every admin right below is still needed.' });
    const run = await launchScheduledCampaigns(deps, at('2027-05-01T08:00:30Z'));
    expect(run.failed).toEqual([]);
    const [launched] = await t.db.select().from(campaign).where(eq(campaign.templateId, admins.id));
    expect(launched).toMatchObject({ status: 'launched', secondLevel: 'owner', attestation: 'Every admin right below is still needed.' });
    const [event] = (await created('campaign_template.created')).filter((e) => (e.payload as { name?: string }).name === 'Monthly admins');
    expect(event!.payload).toMatchObject({ secondLevel: 'owner', attestation: 'Every admin right below is still needed.' });
  });
});
