import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { fixedClock } from '../../src/clock.js';
import { evidenceEvent } from '../../src/db/schema/index.js';
import { buildQuarter, Q, unzip, type Quarter } from '../factories/quarter.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';
import { seedPerson } from '../helpers/slack-seed.js';

let t: TestDatabase;
let s: TestServer;
let q: Quarter;
let cara: string;
let dir: string;

type Reply = { response_type: string; text: string; blocks: unknown[] };

beforeAll(async () => {
  t = await createTestDatabase();
  s = await startTestServer(t);
  q = await buildQuarter(t.db);
  (s.deps.clock as ReturnType<typeof fixedClock>).set(Q.exportAt);
  cara = await seedPerson(t.db, { email: 'cara@acme.test', name: 'Cara Compliance', slackUserId: 'U0CARA', roles: ['compliance'] });
  await seedPerson(t.db, { email: 'ada@acme.test', name: 'Ada Admin', slackUserId: 'U0ADA', roles: ['admin'] });
  await seedPerson(t.db, { email: 'hal@acme.test', name: 'Hal HR', slackUserId: 'U0HAL', roles: ['hr'] });
  dir = await mkdtemp(join(tmpdir(), 'attest-slack-export-test-'));
  await tempBundlesLeft();
});
afterAll(async () => {
  await s?.close();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});
beforeEach(() => s.fake.reset());

/** Sends `/attest export <args>`; returns the first answer and a way to read later ones. */
async function exportAs(userId: string, args: string) {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const res = await s.slack.command({ user_id: userId, text: `export ${args}`.trim(), response_url: s.fake.responseUrl(key) });
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  const first = (await s.fake.waitFor('response_url', (c) => c.key === key)).body as Reply;
  const all = () => s.fake.callsTo('response_url').filter((c) => c.key === key).map((c) => c.body as Reply);
  return { first, all };
}

async function uploaded() {
  const done = await s.fake.waitFor('files.completeUploadExternal', undefined, 15_000);
  const { id } = (done.body.files as { id: string }[])[0]!;
  const bytes = s.fake.state.files.get(id)!.content!;
  return { done, id, bytes, comment: String(done.body.initial_comment) };
}

/** Temp bundles of this file's exports: ones already there (left by a killed process on this machine) do not count. */
let preexisting: Set<string> | undefined;
async function tempBundlesLeft(): Promise<string[]> {
  const now = (await readdir(tmpdir())).filter((n) => n.startsWith('attest-export-slack-'));
  preexisting ??= new Set(now);
  return now.filter((n) => !preexisting!.has(n));
}

describe('/attest export', () => {
  it('builds the quarter and uploads the zip to the requester’s DM in three steps', async () => {
    const { first } = await exportAs('U0CARA', '2026-Q4');
    expect(first.response_type).toBe('ephemeral');
    expect(first.text).toContain('Building the evidence bundle for 2026-Q4');
    const { done, id, bytes, comment } = await uploaded();

    const [open] = s.fake.callsTo('conversations.open');
    expect(open!.body.users).toBe('U0CARA');
    const dm = (open!.response as { channel: { id: string } }).channel.id;
    expect(dm).toMatch(/^D/);
    const [url] = s.fake.callsTo('files.getUploadURLExternal');
    expect(url!.body).toMatchObject({ filename: 'attest-evidence-2026-Q4.zip', length: String(bytes.length) });
    expect(s.fake.callsTo('upload').map((c) => c.key)).toEqual([id]);
    expect(done.body).toMatchObject({ channel_id: dm, files: [{ id, title: 'Evidence bundle 2026-Q4' }] });

    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(comment).toContain(`SHA-256: \`${sha256}\``);
    expect(comment).toContain('attest verify --bundle attest-evidence-2026-Q4.zip');
    const zipPath = join(dir, 'q4.zip');
    await writeFile(zipPath, bytes);
    const files = await unzip(zipPath);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { files: { name: string }[] };
    const names = [...manifest.files.map((f) => f.name), 'manifest.json'];
    expect([...files.keys()].sort()).toEqual([...names].sort());
    expect(comment).toContain(`Files: ${names.join(', ')}`);
    expect(comment).toContain('2026-10-01T00:00:00.000Z to 2027-01-01T00:00:00.000Z');

    const [event] = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'evidence.exported')).orderBy(desc(evidenceEvent.seq)).limit(1);
    expect(event).toMatchObject({ actor: `person:${cara}`, payload: { sha256 } });
    await vi.waitFor(async () => expect(await tempBundlesLeft()).toEqual([]));
  });

  it('exports one campaign, and the current quarter in TZ when no period is given (admin counts)', async () => {
    const byCampaign = await exportAs('U0ADA', `campaign ${q.campaign.id}`);
    expect(byCampaign.first.text).toContain(`campaign ${q.campaign.id}`);
    expect((await uploaded()).comment).toContain('campaign "Q4 review"');

    s.fake.reset();
    const current = await exportAs('U0ADA', '');
    expect(current.first.text).toContain('Building the evidence bundle for 2027-Q1');
    expect((await uploaded()).comment).toContain('Evidence bundle for 2027-Q1');
  });

  it('refuses anyone without the compliance role, records it, and exports nothing', async () => {
    const before = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'evidence.exported'));
    const { first } = await exportAs('U0HAL', '2026-Q4');
    expect(first.response_type).toBe('ephemeral');
    expect(first.text).toContain('"/attest export" is only for people with the compliance role');
    const [last] = await t.db.select().from(evidenceEvent).orderBy(desc(evidenceEvent.seq)).limit(1);
    expect(last).toMatchObject({ action: 'security.refused', payload: { attempted: '/attest export' }, subject: { slackUser: 'U0HAL' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(s.fake.calls.filter((c) => c.method.startsWith('files.') || c.method === 'upload')).toEqual([]);
    expect(await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'evidence.exported'))).toHaveLength(before.length);
  });

  it.each([
    ['2026-Q5', 'is not a quarter'],
    ['next tuesday', 'that is not a quarter, a campaign or two dates'],
    ['2026-12-31 2026-10-01', 'starts'],
    ['2026-02-30 2026-03-31', 'is not a date'],
    ['campaign', 'that is not a quarter, a campaign or two dates'],
  ])('answers a malformed period "%s" with the forms that work, and builds nothing', async (args, reason) => {
    const { first, all } = await exportAs('U0CARA', args);
    expect(first.response_type).toBe('ephemeral');
    expect(first.text).toContain(reason);
    expect(first.text).toContain('/attest export 2026-Q4, /attest export campaign &lt;id&gt;, or /attest export 2026-10-01 2026-12-31');
    await new Promise((r) => setTimeout(r, 200));
    expect(all()).toHaveLength(1);
    expect(s.fake.callsTo('files.getUploadURLExternal')).toEqual([]);
  });

  it('tells the requester when the export fails after "Building…", instead of going quiet', async () => {
    const { first, all } = await exportAs('U0CARA', 'campaign 00000000-0000-4000-8000-000000000000');
    expect(first.text).toContain('Building the evidence bundle');
    await vi.waitFor(() => expect(all()).toHaveLength(2));
    expect(all()[1]).toMatchObject({ response_type: 'ephemeral' });
    expect(all()[1]!.text).toMatch(/not found|no campaign/i);
    expect(s.fake.callsTo('files.getUploadURLExternal')).toEqual([]);
  });

  it('tells the requester when Slack refuses the upload, and removes the temp file', async () => {
    s.fake.inject('files.completeUploadExternal', { error: 'not_in_channel' });
    const { all } = await exportAs('U0CARA', '2026-Q4');
    await vi.waitFor(() => expect(all()).toHaveLength(2), { timeout: 15_000 });
    expect(all()[1]!.text).toContain('Something went wrong on our side');
    await vi.waitFor(async () => expect(await tempBundlesLeft()).toEqual([]));
  });
});
