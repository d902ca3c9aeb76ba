import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { campaign, evidenceEvent } from '../../src/db/schema/index.js';
import { EXIT_CODES } from '../../src/errors.js';
import { BLOCK, CALLBACK } from '../../src/slack/ids.js';
import { seedReviewDirectory } from '../factories/review-directory.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { seededCli } from '../helpers/seeded-cli.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';
import { modalViewErrors } from '../helpers/slack-blocks.js';

/** A campaign's own sign-off statement: `attest campaign create --attestation` and the Slack form's optional field. */
const { attest, json } = seededCli('attest-attestation');

describe('attest campaign create --attestation', () => {
  it('stores the campaign’s wording; blank means the default; too long is refused', async () => {
    const wording = 'I confirm that every access below is still required for the holder’s role.';
    expect(await json('campaign', 'create', '--name', 'Own words', '--due', '2099-12-31', '--attestation', wording)).toMatchObject({ name: 'Own words', attestation: wording });
    expect(await json('campaign', 'create', '--name', 'Default words', '--due', '2099-12-31', '--attestation', '   ')).toMatchObject({ name: 'Default words', attestation: null });
    const long = await attest('campaign', 'create', '--name', 'Too long', '--due', '2099-12-31', '--attestation', 'x'.repeat(1001));
    expect(long.status).toBe(EXIT_CODES.INVALID_INPUT);
    expect(long.stderr).toMatch(/^attest: The attestation statement is 1001 characters long: keep it within 1000/);
    expect((await attest('campaign', 'create', '--help')).stdout).toMatch(/--attestation <text>/);
  }, 120_000);
});

describe('the Slack campaign form', () => {
  let t: TestDatabase;
  let s: TestServer;
  beforeAll(async () => {
    t = await createTestDatabase();
    s = await startTestServer(t);
    await seedReviewDirectory(testDeps(t.db)); // comp (U8) holds compliance
  });
  afterAll(async () => {
    await s?.close();
    await t?.drop();
  });
  beforeEach(() => s.fake.reset());

  const form = (name: string, attestation: string) => ({
    [BLOCK.campaignName]: { value: { type: 'plain_text_input', value: name } },
    [BLOCK.campaignDue]: { value: { type: 'datepicker', selected_date: '2026-12-31' } },
    [BLOCK.campaignReviewerRule]: { value: { type: 'radio_buttons', selected_option: { value: 'manager' } } },
    [BLOCK.campaignNonResponse]: { value: { type: 'radio_buttons', selected_option: { value: 'flag' } } },
    [BLOCK.campaignAttestation]: { value: { type: 'plain_text_input', value: attestation } },
  });

  it('offers an optional sign-off statement and stores it with the campaign', async () => {
    const res = await s.slack.command({ user_id: 'U8', text: 'campaign', response_url: s.fake.responseUrl() });
    expect(res.status).toBe(200);
    const opened = await s.fake.waitFor('views.open');
    expect(modalViewErrors(opened.body.view)).toEqual([]);
    const blocks = (opened.body.view as { blocks: { block_id?: string; optional?: boolean; label?: { text: string } }[] }).blocks;
    expect(blocks.find((b) => b.block_id === BLOCK.campaignAttestation)).toMatchObject({ optional: true, label: { text: 'Sign-off statement' } });

    const tooLong = await s.slack.viewSubmission({ userId: 'U8', callbackId: CALLBACK.campaignCreate, values: form('Long words', 'x'.repeat(1001)) });
    expect(tooLong.json()).toMatchObject({ response_action: 'errors', errors: { [BLOCK.campaignAttestation]: expect.stringContaining('keep it within 1000') } });
    expect(await t.db.select().from(campaign)).toHaveLength(0);

    const ok = await s.slack.viewSubmission({ userId: 'U8', callbackId: CALLBACK.campaignCreate, values: form('Own words', 'We attest that this access matches each role.') });
    expect(ok.json()).toMatchObject({ response_action: 'update' });
    const [row] = await t.db.select().from(campaign).where(eq(campaign.name, 'Own words'));
    expect(row!.attestation).toBe('We attest that this access matches each role.');
    const [created] = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'campaign.created')).orderBy(desc(evidenceEvent.seq)).limit(1);
    expect(created!.payload).toMatchObject({ attestation: 'We attest that this access matches each role.' });
  });
});
