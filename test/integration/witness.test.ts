import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq, gte } from 'drizzle-orm';
import { systemClock } from '../../src/clock.js';
import { openDatabase, type Db } from '../../src/db/client.js';
import { evidenceEvent } from '../../src/db/schema/index.js';
import { appendEvidence } from '../../src/domain/evidence/append-evidence.js';
import { eventHash } from '../../src/domain/evidence/canonical.js';
import { writeCheckpoint } from '../../src/domain/evidence/checkpoint/write-checkpoint.js';
import { signCheckpoint } from '../../src/domain/evidence/signing/checkpoint.js';
import { generateSigningKey, loadSigningKey, type SigningKey } from '../../src/domain/evidence/signing/signing-key.js';
import { startOutboxWorker } from '../../src/jobs/deliver-outbox.js';
import { deliveryClient } from '../../src/slack/delivery/delivery-client.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { runAttest, type AttestRun } from '../helpers/attest-process.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * `attest verify --witness` and `--checkpoint SEQ:HASH`, spawned for real against the fake
 * Slack. The chain: events 1–5, the checkpoint of 5 (event 6, via `attest checkpoint`), events
 * 7–9, the checkpoint of 9 (event 10, as the schedule writes it), events 11–12 not yet witnessed.
 */
const CHANNEL = 'C0COMPLY';
const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);
let cwd = '';
let pg: TestDatabase | undefined;
let fake: FakeSlack;
let key: SigningKey;
const env: Record<string, string> = {};
const hashes = new Map<number, string>();

interface WitnessJson {
  ok: boolean;
  events: number;
  head: string;
  firstBad?: number;
  witness: {
    checked: number;
    lastSeq: number | null;
    firstMismatch?: { seq: number; witnessedAt: string | null; expected: string; found: string | null };
    untrusted?: { seq: number | null; witnessedAt: string; keyId: string | null; reason: string }[];
  };
}

/** The database, in this process: Postgres stays open; PGlite is opened and closed around `fn`, so the CLI can take DATA_DIR. */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (pg) return fn(pg.db);
  const database = await openDatabase({ dataDir: env.DATA_DIR! });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

const deps = (db: Db) => ({ ...testDeps(db, { COMPLIANCE_CHANNEL: CHANNEL, ATTEST_SIGNING_KEY: env.ATTEST_SIGNING_KEY! }), clock: systemClock });

async function append(db: Db, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const [e] = await db.transaction((tx) => appendEvidence(tx, systemClock, { actor: 'system', action: 'test.appended', payload: { i } }));
    hashes.set(e!.seq, e!.hash);
  }
}

async function deliver(db: Db): Promise<void> {
  const d = deps(db);
  const worker = startOutboxWorker(d, { slack: deliveryClient({ token: 'xoxb-test', apiUrl: fake.apiUrl }, d.logger), renderers: RENDERERS, idleMs: 25, channelIntervalMs: 0 });
  try {
    await worker.idle();
  } finally {
    await worker.stop();
  }
}

const attest = (args: string[], without: string[] = []): Promise<AttestRun> =>
  runAttest(cwd, Object.fromEntries(Object.entries(env).filter(([k]) => !without.includes(k))), args);

async function verifyJson(args: string[], status: number): Promise<WitnessJson> {
  const r = await attest(['verify', ...args, '--json']);
  expect(r.status, r.stderr).toBe(status);
  return JSON.parse(r.stdout) as WitnessJson;
}

const checkpointMessages = () => (fake.state.messages.get(CHANNEL) ?? []).filter((m) => m.metadata?.event_type === 'attest_checkpoint');

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'attest-witness-'));
  fake = await startFakeSlack({ channels: [CHANNEL] });
  const generated = generateSigningKey();
  writeFileSync(join(cwd, 'signing.pem'), generated.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(cwd, 'public.pem'), generated.publicKeyPem);
  key = await loadSigningKey(join(cwd, 'signing.pem'));
  Object.assign(env, {
    PATH: process.env.PATH ?? '',
    HOME: cwd,
    TZ: 'UTC',
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_API_URL: fake.apiUrl,
    COMPLIANCE_CHANNEL: CHANNEL,
    ATTEST_SIGNING_KEY: join(cwd, 'signing.pem'),
  });
  if (ON_POSTGRES) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url!;
  } else {
    env.DATA_DIR = join(cwd, 'data');
    const database = await openDatabase({ dataDir: env.DATA_DIR });
    await database.migrate();
    await database.close();
  }
  await withDb((db) => append(db, 5));

  const r = await attest(['checkpoint', '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ seq: 5, hash: hashes.get(5), keyId: key.keyId, queued: true, signature: expect.any(String), at: expect.any(String) });

  await withDb(async (db) => {
    await deliver(db);
    await append(db, 3);
    expect(await writeCheckpoint(deps(db), { actor: 'job:checkpoint' })).toMatchObject({ seq: 9 });
    await deliver(db);
    await append(db, 2);
  });
  expect(checkpointMessages().map((m) => m.metadata!.event_payload.seq)).toEqual([5, 9]);
}, 180_000);
afterAll(async () => {
  await fake?.close();
  await pg?.drop();
  rmSync(cwd, { recursive: true, force: true });
});

describe('attest verify --witness and --checkpoint', () => {
  it('passes an untouched chain, having compared every checkpoint the bot posted', async () => {
    fake.reset();
    const report = await verifyJson(['--witness'], 0);
    expect(report).toMatchObject({ ok: true, events: 12, witness: { checked: 2, lastSeq: 9 } });
    expect(report.witness.firstMismatch).toBeUndefined();
    expect(fake.callsTo('conversations.history').every((c) => c.body.include_all_metadata === 'true' && c.body.channel === CHANNEL)).toBe(true);

    const human = await attest(['verify', '--witness']);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/Evidence chain intact: 12 events, .*2 checkpoint\(s\) agree, up to event 9/);
  }, 60_000);

  it('reads every page of the channel, and ignores checkpoint-like messages from anyone but the bot', async () => {
    // 250 newer messages push both checkpoints past the first page (200).
    for (let i = 0; i < 250; i++) fake.state.addMessage({ channel: CHANNEL, ts: fake.state.nextTs(), user: 'U0HUMAN', bot_id: '', text: `chatter ${i}` });
    const forged = signCheckpoint(key, { seq: 11, hash: 'f'.repeat(64) }, new Date());
    fake.state.addMessage({ channel: CHANNEL, ts: fake.state.nextTs(), user: 'U0OTHERAPP', bot_id: 'B0OTHER', text: 'not ours', metadata: { event_type: 'attest_checkpoint', event_payload: { ...forged } } });
    fake.reset();
    const report = await verifyJson(['--witness'], 0);
    expect(report).toMatchObject({ ok: true, witness: { checked: 2, lastSeq: 9 } });
    const pages = fake.callsTo('conversations.history');
    expect(pages.length).toBe(2);
    expect(pages[0]!.body.cursor).toBeUndefined();
    expect(pages[1]!.body.cursor).toEqual(expect.any(String));
  }, 60_000);

  it('--checkpoint SEQ:HASH passes for a head the chain still has, and refuses a malformed value', async () => {
    const report = await verifyJson(['--checkpoint', `7:${hashes.get(7)!.toUpperCase()}`], 0);
    expect(report).toMatchObject({ ok: true, witness: { checked: 1, lastSeq: 7 } });

    for (const bad of ['7', `7:${'z'.repeat(64)}`, `0:${hashes.get(7)!}`, `x:${hashes.get(7)!}`]) {
      const r = await attest(['verify', '--checkpoint', bad]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--checkpoint takes SEQ:HASH/);
    }
  }, 120_000);

  it('says what is missing when Slack, the channel or the key is not configured', async () => {
    const noToken = await attest(['verify', '--witness'], ['SLACK_BOT_TOKEN']);
    expect(noToken.status).toBe(78);
    expect(noToken.stderr).toMatch(/verify --witness reads the checkpoints from Slack: set SLACK_BOT_TOKEN/);
    const noChannel = await attest(['verify', '--witness'], ['COMPLIANCE_CHANNEL']);
    expect(noChannel.status).toBe(78);
    expect(noChannel.stderr).toMatch(/COMPLIANCE_CHANNEL/);
    const noKey = await attest(['verify', '--witness'], ['ATTEST_SIGNING_KEY']);
    expect(noKey.status).toBe(78);
    expect(noKey.stderr).toMatch(/set ATTEST_SIGNING_KEY, or pass --public-key FILE/);
  }, 120_000);

  it('checks the checkpoints with --public-key alone, without the private key', async () => {
    const r = await attest(['verify', '--witness', '--public-key', join(cwd, 'public.pem'), '--json'], ['ATTEST_SIGNING_KEY']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, witness: { checked: 2 } });
  }, 60_000);

  it('after a key rotation, trusts the old key\'s checkpoints only when its public key is given too', async () => {
    const rotated = generateSigningKey();
    writeFileSync(join(cwd, 'rotated.pem'), rotated.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(cwd, 'rotated-public.pem'), rotated.publicKeyPem);
    const next = await loadSigningKey(join(cwd, 'rotated.pem'));
    // The head of 12, signed with the new key and posted by the bot, as serve does after the rotation.
    const slack = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const c = signCheckpoint(next, { seq: 12, hash: hashes.get(12)! }, new Date());
    await slack.chat.postMessage({ channel: CHANNEL, text: 'rotated checkpoint', metadata: { event_type: 'attest_checkpoint', event_payload: { ...c } } });
    try {
      const newOnly = await verifyJson(['--witness', '--public-key', join(cwd, 'rotated-public.pem')], 1);
      expect(newOnly.witness.untrusted?.map((u) => [u.seq, u.reason])).toEqual([
        [5, `signed by key ${key.keyId}, not the signing key ${next.keyId}`],
        [9, `signed by key ${key.keyId}, not the signing key ${next.keyId}`],
      ]);
      const both = await verifyJson(['--witness', '--public-key', join(cwd, 'public.pem'), '--public-key', join(cwd, 'rotated-public.pem')], 0);
      expect(both).toMatchObject({ ok: true, witness: { checked: 3, lastSeq: 12 } });
      expect(both.witness.untrusted).toBeUndefined();
    } finally {
      const list = fake.state.messages.get(CHANNEL)!;
      fake.state.messages.set(CHANNEL, list.filter((m) => m.text !== 'rotated checkpoint'));
    }
  }, 120_000);

  it('reports a checkpoint posted with the bot token but signed with another key as not trusted', async () => {
    // Whoever holds the bot token but not the key: the head they vouch for is even the real one.
    const mallory = await (async () => {
      const g = generateSigningKey();
      const file = join(cwd, 'mallory.pem');
      writeFileSync(file, g.privateKeyPem);
      return loadSigningKey(file);
    })();
    const slack = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const other = signCheckpoint(mallory, { seq: 11, hash: hashes.get(11)! }, new Date());
    const bent = { ...signCheckpoint(key, { seq: 12, hash: hashes.get(12)! }, new Date()), hash: 'e'.repeat(64) };
    for (const c of [other, bent]) {
      await slack.chat.postMessage({ channel: CHANNEL, text: 'checkpoint', metadata: { event_type: 'attest_checkpoint', event_payload: { ...c } } });
    }
    try {
      const r = await attest(['verify', '--witness', '--json']);
      expect(r.status).toBe(1);
      const report = JSON.parse(r.stdout) as WitnessJson;
      expect(report).toMatchObject({ ok: false, events: 12, witness: { checked: 2 } });
      expect(report.firstBad).toBeUndefined();
      expect(report.witness.firstMismatch).toBeUndefined();
      expect(report.witness.untrusted).toEqual([
        { seq: 11, witnessedAt: expect.any(String), keyId: mallory.keyId, reason: `signed by key ${mallory.keyId}, not the signing key ${key.keyId}` },
        { seq: 12, witnessedAt: expect.any(String), keyId: key.keyId, reason: 'its signature does not verify with the signing key' },
      ]);
      expect(r.stderr).toMatch(/Checkpoint message for event 11 posted at .* is not trusted/);
    } finally {
      const list = fake.state.messages.get(CHANNEL)!;
      fake.state.messages.set(CHANNEL, list.filter((m) => m.text !== 'checkpoint'));
    }
    expect((await verifyJson(['--witness'], 0)).ok).toBe(true);
  }, 120_000);
});

describe.skipIf(!ON_POSTGRES)('attacks by a database superuser, on Postgres', () => {
  // Each attack starts from the chain as built above and puts it back afterwards.
  beforeEach(async () => {
    await pg!.raw('create table evidence_backup as select * from evidence_event');
  });
  afterEach(async () => {
    await pg!.raw(`alter table evidence_event disable trigger all;
      delete from evidence_event;
      insert into evidence_event select * from evidence_backup;
      alter table evidence_event enable trigger all;
      drop table evidence_backup`);
  });

  it('a tail deleted after a witnessed checkpoint: plain verify is fooled, --witness is not, on Postgres', async () => {
    await pg!.raw('alter table evidence_event disable trigger all; delete from evidence_event where seq >= 8; alter table evidence_event enable trigger all');
    // The attack is real: what is left is a perfectly linked chain.
    const plain = await attest(['verify', '--json']);
    expect(plain.status).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ ok: true, events: 7, head: hashes.get(7) });

    const r = await attest(['verify', '--witness', '--json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as WitnessJson;
    expect(report).toMatchObject({ ok: false, events: 7, witness: { checked: 2, firstMismatch: { seq: 9, expected: hashes.get(9), found: null } } });
    expect(Date.parse(report.witness.firstMismatch!.witnessedAt!)).not.toBeNaN();
    expect(r.stderr).toMatch(/Evidence event 9 does not match its checkpoint \(witnessed at .*\): expected [0-9a-f]{64}, the event is gone/);
  }, 120_000);

  it('events rewritten from seq 3 with recomputed hashes: caught by --witness and by --checkpoint SEQ:HASH, on Postgres', async () => {
    const db = pg!.db;
    await pg!.raw('alter table evidence_event disable trigger all');
    try {
      const rows = await db.select().from(evidenceEvent).where(gte(evidenceEvent.seq, 3)).orderBy(asc(evidenceEvent.seq));
      let prev = rows[0]!.prevHash;
      for (const row of rows) {
        const payload = row.seq === 3 ? { ...row.payload, i: 'rewritten' } : row.payload;
        const hash = eventHash(prev, { ...row, payload });
        await db.update(evidenceEvent).set({ payload, prevHash: prev, hash }).where(eq(evidenceEvent.seq, row.seq));
        prev = hash;
      }
    } finally {
      await pg!.raw('alter table evidence_event enable trigger all');
    }
    const [rewritten5] = await db.select({ hash: evidenceEvent.hash }).from(evidenceEvent).where(eq(evidenceEvent.seq, 5));

    const plain = await attest(['verify', '--json']);
    expect(plain.status).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ ok: true, events: 12 });

    const witnessed = await verifyJson(['--witness'], 1);
    expect(witnessed).toMatchObject({ ok: false, events: 12, witness: { checked: 2, firstMismatch: { seq: 5, expected: hashes.get(5), found: rewritten5!.hash } } });

    const given = await attest(['verify', '--checkpoint', `9:${hashes.get(9)!}`, '--json']);
    expect(given.status).toBe(1);
    expect(JSON.parse(given.stdout)).toMatchObject({ ok: false, witness: { checked: 1, firstMismatch: { seq: 9, witnessedAt: null, expected: hashes.get(9) } } });
    expect(given.stderr).toMatch(/Evidence event 9 does not match its checkpoint \(given\)/);
    // Before the rewrite the chain is what it was.
    expect((await verifyJson(['--checkpoint', `2:${hashes.get(2)!}`], 0)).ok).toBe(true);
  }, 120_000);
});
