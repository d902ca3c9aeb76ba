import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq, sql } from 'drizzle-orm';
import { systemClock } from '../../src/clock.js';
import { evidenceEvent, outbox } from '../../src/db/schema/index.js';
import { appendEvidence } from '../../src/domain/evidence/append-evidence.js';
import { writeCheckpoint } from '../../src/domain/evidence/checkpoint/write-checkpoint.js';
import { checkpointSignatureValid, type Checkpoint } from '../../src/domain/evidence/signing/checkpoint.js';
import { fingerprint, generateSigningKey, loadSigningKey, parsePublicKey, type SigningKey } from '../../src/domain/evidence/signing/signing-key.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';
import { checkpointJob } from '../../src/jobs/checkpoint-job.js';
import { startOutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { deliveryClient } from '../../src/slack/delivery/delivery-client.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { runAttest } from '../helpers/attest-process.js';
import { OVERLAP, createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/** Signed checkpoints: the key command, the checkpoint event, its delivery to the compliance channel, the schedule. */
const CHANNEL = 'C0COMPLY';
let t: TestDatabase;
let fake: FakeSlack;
let dir: string;
let keyFile: string;
let key: SigningKey;

const deps = (overrides: Record<string, string> = {}) => ({
  ...testDeps(t.db, { COMPLIANCE_CHANNEL: CHANNEL, ATTEST_SIGNING_KEY: keyFile, ...overrides }),
  clock: systemClock,
});

async function append(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await t.db.transaction((tx) => appendEvidence(tx, systemClock, { actor: 'system', action: 'test.appended', payload: { i } }));
  }
}

const head = async () => (await t.db.select().from(evidenceEvent).orderBy(desc(evidenceEvent.seq)).limit(1))[0];
const eventAt = async (seq: number) => (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.seq, seq)))[0];

/** Runs the real outbox worker until nothing is due. */
async function deliver(): Promise<void> {
  const d = deps();
  const worker = startOutboxWorker(d, {
    slack: deliveryClient({ token: 'xoxb-test', apiUrl: fake.apiUrl }, d.logger),
    renderers: RENDERERS,
    idleMs: 25,
    channelIntervalMs: 0,
    workspacePerSecond: 200,
  });
  try {
    await worker.idle();
  } finally {
    await worker.stop();
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeSlack({ channels: [CHANNEL] });
  dir = await mkdtemp(join(tmpdir(), 'attest-checkpoint-'));
  keyFile = join(dir, 'signing.pem');
  await writeFile(keyFile, generateSigningKey().privateKeyPem, { mode: 0o600 });
  key = await loadSigningKey(keyFile);
});
afterAll(async () => {
  await fake.close();
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await t.raw('delete from outbox');
  await t.raw('delete from slack_message');
  fake.state.messages.clear();
  fake.reset();
});

describe('attest keys generate', () => {
  const env = () => ({ PATH: process.env.PATH ?? '', HOME: dir, LOG_LEVEL: 'silent' });

  it('writes the private key with mode 0600 and prints the fingerprint of that very key', async () => {
    const file = join(dir, 'new.pem');
    const r = await runAttest(dir, env(), ['keys', 'generate', '--out', 'new.pem', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { file: string; publicKey: string; fingerprint: string };
    expect(out.file).toBe(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(out.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await loadSigningKey(file)).keyId).toBe(out.fingerprint);
    expect(fingerprint(parsePublicKey(out.publicKey))).toBe(out.fingerprint);
    expect(await readFile(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);

    const human = await runAttest(dir, env(), ['keys', 'generate', '--out', join(dir, 'other.pem')]);
    expect(human.status).toBe(0);
    const printed = /Fingerprint: ([0-9a-f]{64})/.exec(human.stdout)?.[1];
    expect(printed).toBe((await loadSigningKey(join(dir, 'other.pem'))).keyId);
    expect(human.stdout).toContain('-----BEGIN PUBLIC KEY-----');
    expect(human.stdout).not.toContain('PRIVATE KEY');
  }, 60_000);

  it('refuses to overwrite an existing file, and leaves it as it was', async () => {
    const file = join(dir, 'taken.pem');
    await writeFile(file, 'keep me');
    const r = await runAttest(dir, env(), ['keys', 'generate', '--out', file]);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/already exists; not overwriting/);
    expect(await readFile(file, 'utf8')).toBe('keep me');
  }, 60_000);
});

describe('writeCheckpoint', () => {
  it('records the signed head as an evidence.checkpoint event, signature intact, covering the event before it', async () => {
    await append(3);
    const before = (await head())!;
    const c = (await writeCheckpoint(deps(), { actor: 'cli:test', force: true }))!;
    expect(c).toMatchObject({ seq: before.seq, hash: before.hash, keyId: key.keyId });
    expect(checkpointSignatureValid(key.publicKey, c)).toBe(true);

    const event = (await eventAt(before.seq + 1))!;
    expect(event).toMatchObject({ action: 'evidence.checkpoint', actor: 'cli:test', subject: { seq: String(before.seq) } });
    // Stored exactly: the signature is not scrubbed like a secret, and it still verifies.
    expect(event.payload).toEqual({ ...c });
    expect(checkpointSignatureValid(key.publicKey, event.payload as unknown as Checkpoint)).toBe(true);
    expect(await verifyChain(t.db)).toMatchObject({ ok: true, events: before.seq + 1 });

    const [row] = await t.db.select().from(outbox).where(eq(outbox.kind, 'evidence.checkpoint'));
    expect(row).toMatchObject({ channel: CHANNEL, status: 'pending', payload: { seq: String(event.seq) } });
  });

  it('is posted to the compliance channel carrying the checkpoint, and the outbox id, in its metadata', async () => {
    await append(1);
    const c = (await writeCheckpoint(deps(), { actor: 'cli:test' }))!;
    const [row] = await t.db.select().from(outbox).where(eq(outbox.kind, 'evidence.checkpoint'));
    await deliver();
    expect((await t.db.select().from(outbox).where(eq(outbox.id, row!.id)))[0]!.status).toBe('sent');

    const [message, ...more] = fake.state.messages.get(CHANNEL) ?? [];
    expect(more).toEqual([]);
    expect(message!.metadata).toEqual({
      event_type: 'attest_checkpoint',
      event_payload: { seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId, signature: c.signature, outbox_id: row!.id, page: 0 },
    });
    expect(message!.text).toContain(`event #${c.seq}`);
    expect(JSON.stringify(message!.blocks)).toContain(c.signature);
  });

  it('finds a checkpoint message that may have landed by the outbox id inside its metadata, instead of posting it twice', async () => {
    await append(1);
    const c = (await writeCheckpoint(deps(), { actor: 'cli:test' }))!;
    const [row] = await t.db.select().from(outbox).where(eq(outbox.kind, 'evidence.checkpoint'));
    // A process died mid-send: the row is left `sending` with its claim expired, the message is in Slack.
    await t.db.update(outbox).set({ status: 'sending', attempts: 1, lockedUntil: sql`now() - interval '1 minute'` }).where(eq(outbox.id, row!.id));
    fake.state.addMessage({
      channel: CHANNEL,
      ts: fake.state.nextTs(),
      user: fake.state.bot.userId,
      bot_id: fake.state.bot.id,
      text: 'checkpoint',
      metadata: { event_type: 'attest_checkpoint', event_payload: { ...c, outbox_id: row!.id, page: 0 } },
    });
    await deliver();
    expect((await t.db.select().from(outbox).where(eq(outbox.id, row!.id)))[0]).toMatchObject({ status: 'sent', result: { messages: [{ page: 0, action: 'found' }] } });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(fake.state.messages.get(CHANNEL)).toHaveLength(1);
  });

  it('the scheduled job skips a slot with nothing new, and signs again once there is', async () => {
    const job = checkpointJob(deps(), key);
    expect(job).toMatchObject({ name: 'checkpoint', schedule: '0 * * * *' });
    await append(2);
    const first = await job.run();
    expect(first).toBe(`signed head ${(await head())!.seq - 1}`);
    const seqAfter = (await head())!.seq;

    expect(await job.run()).toBe('nothing new');
    expect((await head())!.seq).toBe(seqAfter);
    expect(await t.db.select().from(outbox).where(eq(outbox.kind, 'evidence.checkpoint'))).toHaveLength(1);

    await append(1);
    expect(await job.run()).toBe(`signed head ${seqAfter + 1}`);
  });

  it(`two replicas in the same slot sign the head once (${OVERLAP})`, async () => {
    await append(1);
    const both = await Promise.all([writeCheckpoint(deps(), { actor: 'job:checkpoint' }), writeCheckpoint(deps(), { actor: 'job:checkpoint' })]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await verifyChain(t.db)).toMatchObject({ ok: true });
  });

  it('without a key: null for callers that can do without one, a clear error for `attest checkpoint`', async () => {
    await append(1);
    const noKey = deps({ ATTEST_SIGNING_KEY: '' });
    expect(noKey.config.ATTEST_SIGNING_KEY).toBeUndefined();
    expect(await writeCheckpoint(noKey, { actor: 'cli:test' })).toBeNull();
    await expect(writeCheckpoint(noKey, { actor: 'cli:test', force: true })).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/ATTEST_SIGNING_KEY.*attest keys generate/),
    });
  });

  it('refuses a configured key that is not Ed25519 or cannot be read, naming ATTEST_SIGNING_KEY', async () => {
    const rsa = join(dir, 'rsa.pem');
    await writeFile(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(writeCheckpoint(deps({ ATTEST_SIGNING_KEY: rsa }), { actor: 'cli:test' })).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/^ATTEST_SIGNING_KEY: .*rsa key; Attest signs with Ed25519/),
    });
    await expect(writeCheckpoint(deps({ ATTEST_SIGNING_KEY: join(dir, 'missing.pem') }), { actor: 'cli:test' })).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/^ATTEST_SIGNING_KEY: cannot read the signing key/),
    });
  });

  it('serve does not start with an unreadable signing key, and says which variable', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      LOG_LEVEL: 'silent',
      DATA_DIR: join(dir, 'serve-data'),
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: fake.apiUrl,
      ATTEST_SIGNING_KEY: join(dir, 'missing.pem'),
    };
    const r = await runAttest(dir, env, ['serve']);
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/ATTEST_SIGNING_KEY: cannot read the signing key .*missing\.pem/);
  }, 60_000);
});
