import { beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { campaign, evidenceEvent, outbox } from '../../src/db/schema/index.js';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { seedReviewDirectory } from '../factories/review-directory.js';
import type { TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { homeViewErrors, modalViewErrors } from '../helpers/slack-blocks.js';
import { appHomeOpened } from '../helpers/slack-request.js';
import type { TestServer } from '../helpers/serve.js';
import { serverForFile } from '../helpers/server-for-file.js';
import { slashAttest } from '../helpers/slash-command.js';

/** `/attest campaign`: the form, the launch preview, Launch; and compliance's App Home. */
let t: TestDatabase;
let s: TestServer;
serverForFile((started) => ({ t, s } = started));

beforeAll(async () => {
  await seedReviewDirectory(testDeps(t.db)); // comp (U8) is the admin, so holds compliance
});

const attest = async (userId: string, text: string) => (await slashAttest(s, userId, text, { emptyAck: true })).text;

const form = (name: string, due: string, extra: Record<string, Record<string, Record<string, unknown>>> = {}) => ({
  [BLOCK.campaignName]: { value: { type: 'plain_text_input', value: name } },
  [BLOCK.campaignDue]: { value: { type: 'datepicker', selected_date: due } },
  [BLOCK.campaignSystems]: { value: { type: 'multi_static_select', selected_options: [{ value: 'okta' }] } },
  [BLOCK.campaignPrivileged]: { value: { type: 'checkboxes', selected_options: [] } },
  [BLOCK.campaignDepartments]: { value: { type: 'plain_text_input', value: '' } },
  [BLOCK.campaignReviewerRule]: { value: { type: 'radio_buttons', selected_option: { value: 'manager' } } },
  [BLOCK.campaignNonResponse]: { value: { type: 'radio_buttons', selected_option: { value: 'flag' } } },
  ...extra,
});

describe('/attest campaign', () => {
  it('is refused to someone without the compliance role, and the refusal is on record', async () => {
    expect(await attest('U2', 'campaign')).toContain('only for people with the compliance role');
    const [last] = await t.db.select().from(evidenceEvent).orderBy(desc(evidenceEvent.seq)).limit(1);
    expect(last).toMatchObject({ action: 'security.refused', payload: { attempted: '/attest campaign' } });
    expect(s.fake.callsTo('views.open')).toEqual([]);
  });

  it('creates a campaign from the form, previews who would review what, and launches it', async () => {
    expect(await attest('U8', 'campaign')).toContain('Fill in the form');
    const opened = await s.fake.waitFor('views.open');
    expect(opened.response).toMatchObject({ ok: true });
    expect(modalViewErrors(opened.body.view)).toEqual([]);
    expect(JSON.stringify(opened.body.view)).toMatch(/"value":"github".*"value":"okta"/);

    const past = await s.slack.viewSubmission({ userId: 'U8', callbackId: CALLBACK.campaignCreate, values: form('Q4 review', '2020-01-01') });
    expect(past.json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.campaignDue]: expect.stringContaining('in the past') } });
    const nameless = await s.slack.viewSubmission({ userId: 'U8', callbackId: CALLBACK.campaignCreate, values: form('  ', '2026-12-31') });
    expect(nameless.json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.campaignName]: expect.any(String) } });

    const ok = await s.slack.viewSubmission({ userId: 'U8', callbackId: CALLBACK.campaignCreate, values: form('Q4 <review>', '2026-12-31') });
    expect(ok.json()).toMatchObject({ response_action: 'update', view: { type: 'modal', callback_id: CALLBACK.campaignPreview } });
    const preview = await s.fake.waitFor('views.update', (c) => JSON.stringify(c.body.view).includes(ACTION.campaignLaunch));
    expect(modalViewErrors(preview.body.view)).toEqual([]);
    expect(JSON.stringify(preview.body.view)).toContain('Q4 &lt;review&gt;');
    expect(JSON.stringify(preview.body.view)).toMatch(/\*\d+ items\* for \*\d+ reviewers\*/);
    const [draft] = await t.db.select().from(campaign).where(eq(campaign.name, 'Q4 <review>'));
    expect(draft).toMatchObject({ status: 'draft', scope: { systems: ['okta'] }, createdBy: expect.stringMatching(/^person:/) });

    const launch = await s.slack.action({ userId: 'U8', actionId: ACTION.campaignLaunch, value: draft!.id, view: { id: preview.body.view_id as string, type: 'modal' } });
    expect(launch.status).toBe(200);
    await s.fake.waitFor('views.update', (c) => JSON.stringify(c.body.view).includes('is launched'));
    expect((await t.db.select().from(campaign).where(eq(campaign.id, draft!.id)))[0]!.status).toBe('launched');
    expect((await t.db.select().from(outbox).where(eq(outbox.kind, 'review.request'))).length).toBeGreaterThan(0);
  });

  it('refuses a Launch click by someone without the compliance role', async () => {
    const [c] = await t.db.select().from(campaign).limit(1);
    await s.slack.action({ userId: 'U2', actionId: ACTION.campaignLaunch, value: c!.id, view: { id: 'V0X', type: 'modal' } });
    await s.fake.waitFor('views.update', (call) => JSON.stringify(call.body.view).includes('Only people with the compliance role'));
  });

  it("shows compliance each open campaign's progress by reviewer on the App Home", async () => {
    await s.slack.event(appHomeOpened('U8'));
    const published = await s.fake.waitFor('views.publish', (c) => c.body.user_id === 'U8');
    expect(homeViewErrors(published.body.view)).toEqual([]);
    const text = JSON.stringify(published.body.view);
    expect(text).toContain('*Open access reviews* (1)');
    expect(text).toMatch(/maria: \d+ pending, 0 decided/);
    await s.slack.event(appHomeOpened('U2'));
    const mine = await s.fake.waitFor('views.publish', (c) => c.body.user_id === 'U2');
    expect(JSON.stringify(mine.body.view)).not.toContain('Open access reviews');
  });
});
