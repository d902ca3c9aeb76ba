import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { fixedClock } from '../../src/clock.js';
import { evidenceEvent } from '../../src/db/schema/index.js';
import { writeControlDigest, type ControlDigest } from '../../src/domain/controls/write-control-digest.js';
import { verifyBundle } from '../../src/domain/evidence/verify-bundle.js';
import { startOutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { deliveryClient } from '../../src/slack/delivery/delivery-client.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { ACTION } from '../../src/slack/ids.js';
import { buildQuarter, Q, unzip } from '../factories/quarter.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';
import { messageBlockErrors } from '../helpers/slack-blocks.js';
import { seedPerson } from '../helpers/slack-seed.js';

/**
 * The weekly control digest in the compliance channel puts the evidence behind it one click
 * away: its `Evidence bundle for this period` button sends a compliance reader the bundle of
 * exactly the digest's period, in their DM, as `/attest export` would. Anyone else in the
 * channel is refused, on record, and gets nothing; a failure reaches the clicker.
 */
const CHANNEL = 'C0COMPLY';
let t: TestDatabase;
let s: TestServer;
let dir: string;
let savedTmpdir: string | undefined;
let cara: string;
let digest: ControlDigest;
/** The button as the channel received it, and the message it sits in. */
let button: { value: string; ts: string };

type Reply = { response_type: string; text: string };
type Button = { type: string; action_id: string; value?: string; text: { text: string } };

beforeAll(async () => {
  t = await createTestDatabase();
  s = await startTestServer(t, { env: { COMPLIANCE_CHANNEL: CHANNEL } });
  await buildQuarter(t.db);
  (s.deps.clock as ReturnType<typeof fixedClock>).set(Q.exportAt);
  cara = await seedPerson(t.db, { email: 'cara@acme.test', name: 'Cara Compliance', slackUserId: 'U0CARA', roles: ['compliance'] });
  await seedPerson(t.db, { email: 'ada@acme.test', name: 'Ada Admin', slackUserId: 'U0ADA', roles: ['admin'] });
  await seedPerson(t.db, { email: 'hal@acme.test', name: 'Hal HR', slackUserId: 'U0HAL', roles: ['hr'] });
  dir = await mkdtemp(join(tmpdir(), 'attest-digest-button-test-'));
  // The exports' temp bundles go to a folder of this file's own, so that another test file
  // exporting at the same time (slack-export) neither shows up here nor sees these.
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = await mkdtemp(join(dir, 'tmp-'));
  digest = await writeControlDigest(s.deps, { actor: 'job:control-digest' });
  await deliver();
});
afterAll(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await s?.close();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});
beforeEach(() => s.fake.reset());

/** The real outbox worker and the `controls.digest` renderer, against the fake Slack, until nothing is due. */
async function deliver(): Promise<void> {
  const worker = startOutboxWorker(s.deps, { slack: deliveryClient({ token: 'xoxb-test', apiUrl: s.fake.apiUrl }, s.deps.logger), renderers: RENDERERS, idleMs: 25, channelIntervalMs: 0, workspacePerSecond: 200 });
  try {
    await worker.idle();
  } finally {
    await worker.stop();
  }
}

/** Clicks the digest's button as `userId`; returns the HTTP answer and the click's ephemeral answers. */
async function click(userId: string, value = button.value) {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const started = performance.now();
  const res = await s.slack.action({ userId, actionId: ACTION.digestEvidence, value, channelId: CHANNEL, messageTs: button.ts, responseUrl: s.fake.responseUrl(key) });
  const ms = performance.now() - started;
  const answers = () => s.fake.callsTo('response_url').filter((c) => c.key === key).map((c) => c.body as Reply);
  return { res, ms, answers };
}

async function uploaded() {
  const done = await s.fake.waitFor('files.completeUploadExternal', undefined, 15_000);
  const { id } = (done.body.files as { id: string }[])[0]!;
  const bytes = s.fake.state.files.get(id)!.content!;
  return { done, bytes, comment: String(done.body.initial_comment) };
}

const noUpload = () => s.fake.calls.filter((c) => c.method.startsWith('files.') || c.method === 'upload');
const lastEvent = async () => (await t.db.select().from(evidenceEvent).orderBy(desc(evidenceEvent.seq)).limit(1))[0];
const exports = () => t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'evidence.exported'));

/** Temp bundles of this file's exports still on disk (TMPDIR is this file's own folder). */
async function tempBundlesLeft(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('attest-export-slack-'));
}

describe('the control digest’s evidence button', () => {
  it('is on the digest the outbox posts to the compliance channel, within Block Kit’s limits, the figures kept', () => {
    const [message, ...more] = s.fake.state.messages.get(CHANNEL) ?? [];
    expect(more).toHaveLength(0);
    const blocks = message!.blocks as { type: string; elements?: Button[] }[];
    expect(messageBlockErrors(blocks)).toEqual([]);
    const text = JSON.stringify(blocks);
    expect(text).toContain('Weekly control digest');
    expect(text).toContain('Evidence: `attest export --from … --to …`');
    expect(text).toContain(`this digest is evidence event #${digest.seq}`);
    const buttons = blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
    expect(buttons).toHaveLength(1);
    expect(buttons[0]).toMatchObject({ type: 'button', action_id: ACTION.digestEvidence, text: { text: 'Evidence bundle for this period' } });
    expect(buttons[0]!.value!.length).toBeLessThanOrEqual(2000);
    button = { value: buttons[0]!.value!, ts: message!.ts };
  });

  it('sends a compliance clicker the bundle of exactly the digest’s period, in their DM, and it verifies', async () => {
    const { res, ms, answers } = await click('U0CARA');
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(3000);
    const { done, bytes, comment } = await uploaded();

    const [open] = s.fake.callsTo('conversations.open');
    expect(open!.body.users).toBe('U0CARA');
    expect(done.body.channel_id).toBe((open!.response as { channel: { id: string } }).channel.id);
    const { from, to } = digest.figures;
    expect(answers()[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(answers()[0]!.text).toContain(`Building the evidence bundle for control digest #${digest.seq} (${from} to ${to})`);

    const zipPath = join(dir, 'digest.zip');
    await writeFile(zipPath, bytes);
    const manifest = JSON.parse((await unzip(zipPath)).get('manifest.json')!.toString('utf8')) as { parameters: { from: string; to: string } };
    expect(manifest.parameters).toMatchObject({ from, to });
    expect((await verifyBundle(zipPath)).ok).toBe(true);

    // The same comment as `/attest export`: the period, the files, the hash to check.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(comment).toContain(`Evidence bundle for ${from} to ${to}: ${from} to ${to} (UTC, end exclusive)`);
    expect(comment).toContain(`SHA-256: \`${sha256}\``);
    expect(comment).toContain('attest verify --bundle attest-evidence-');
    expect(await lastEvent()).toMatchObject({ action: 'evidence.exported', actor: `person:${cara}`, payload: expect.objectContaining({ sha256 }) });
    // Nothing went wrong, so "Building…" is the only answer.
    expect(answers()).toHaveLength(1);
    await vi.waitFor(async () => expect(await tempBundlesLeft()).toEqual([]));
  });

  it('sends it to an admin too, as /attest export does', async () => {
    await click('U0ADA');
    await uploaded();
    expect(s.fake.callsTo('conversations.open')[0]!.body.users).toBe('U0ADA');
  });

  it.each([
    ['someone without the compliance role', 'U0HAL', 'person'],
    ['a Slack user the directory does not know', 'U0STRANGER', 'slack'],
  ])('refuses %s with an ephemeral answer, records it, and uploads nothing', async (_who, userId, actorKind) => {
    const before = (await exports()).length;
    const { res, answers } = await click(userId);
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(answers()).toHaveLength(1));
    expect(answers()[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(answers()[0]!.text).toContain('"Evidence bundle for this period" is only for people with the compliance role');
    const refused = await lastEvent();
    expect(refused).toMatchObject({
      action: 'security.refused',
      actor: expect.stringMatching(new RegExp(`^${actorKind}:`)),
      subject: { slackUser: userId, digest: button.value },
      payload: { attempted: ACTION.digestEvidence, reason: 'requires the compliance role' },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(noUpload()).toEqual([]);
    expect(answers()).toHaveLength(1);
    expect(await exports()).toHaveLength(before);
  });

  it('tells the clicker when Slack refuses the upload, and removes the temp file', async () => {
    s.fake.inject('files.completeUploadExternal', { error: 'not_in_channel', latencyMs: 500 });
    const { answers } = await click('U0CARA');
    // While Slack takes its time, the bundle is on disk in its temp folder…
    await s.fake.waitFor('files.getUploadURLExternal', undefined, 15_000);
    expect(await tempBundlesLeft()).toHaveLength(1);
    await vi.waitFor(() => expect(answers()).toHaveLength(2), { timeout: 15_000 });
    expect(answers()[0]!.text).toContain('Building the evidence bundle');
    expect(answers()[1]).toMatchObject({ response_type: 'ephemeral' });
    expect(answers()[1]!.text).toContain('Something went wrong on our side');
    // …and gone once the export has failed.
    await vi.waitFor(async () => expect(await tempBundlesLeft()).toEqual([]));
  });

  it('answers a button that names no digest (an edited payload) instead of exporting anything', async () => {
    const { answers } = await click('U0CARA', String(digest.seq - 1));
    await vi.waitFor(() => expect(answers()).toHaveLength(1));
    expect(answers()[0]!.text).toContain(`no control digest at evidence #${digest.seq - 1}`);
    await new Promise((r) => setTimeout(r, 200));
    expect(noUpload()).toEqual([]);
  });
});
