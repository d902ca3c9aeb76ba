import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { runAttest } from '../helpers/attest-process.js';
import { buildQuarter, Q, rezip, unzip, type Quarter } from '../factories/quarter.js';
import { exportBundle } from '../../src/domain/evidence/export/export-bundle.js';
import { checkpointSignatureValid } from '../../src/domain/evidence/signing/checkpoint.js';
import { generateSigningKey, parsePublicKey } from '../../src/domain/evidence/signing/signing-key.js';
import { verifyBundle } from '../../src/domain/evidence/verify-bundle.js';

let t: TestDatabase;
let dir: string;
let q: Quarter;
let bundle: string;
let chainHead: string;
/** The signer's key (A) and someone else's (B): private key files and public key PEM files. */
const keys = { a: generateSigningKey(), b: generateSigningKey() };
const keyFiles = { a: { private: '', public: '' }, b: { private: '', public: '' } };
/** Signed with key A; its period runs past the export, so the export's own checkpoint is in it. */
let signed: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'attest-verify-'));
  q = await buildQuarter(t.db);
  bundle = (await exportBundle({ ...testDeps(t.db), clock: q.clock }, { period: { quarter: Q.quarter }, out: join(dir, 'q4.zip'), actor: 'cli:test' })).file;
  chainHead = JSON.parse((await unzip(bundle)).get('manifest.json')!.toString('utf8')).chainHead;
  for (const k of ['a', 'b'] as const) {
    keyFiles[k] = { private: join(dir, `${k}.key`), public: join(dir, `${k}.pub.pem`) };
    await writeFile(keyFiles[k].private, keys[k].privateKeyPem, { mode: 0o600 });
    await writeFile(keyFiles[k].public, keys[k].publicKeyPem);
  }
  const deps = { ...testDeps(t.db, { ATTEST_SIGNING_KEY: keyFiles.a.private }), clock: q.clock };
  signed = (await exportBundle(deps, { period: { from: '2026-10-01', to: '2027-01-05' }, out: join(dir, 'signed.zip'), actor: 'cli:test' })).file;
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

const bad = (files: { name: string; ok: boolean }[]) => files.filter((f) => !f.ok).map((f) => f.name);

/** Rewrites one line of evidence.jsonl (0 = the header). */
const editLine = (n: number, edit: (line: string) => string | null) => (b: Buffer) => {
  const lines = b.toString('utf8').split('\n');
  const edited = edit(lines[n]!);
  if (edited === null) lines.splice(n, 1);
  else lines[n] = edited;
  return Buffer.from(lines.join('\n'), 'utf8');
};

describe('verifyBundle', () => {
  it('accepts an untouched bundle and reports the chain head', async () => {
    const report = await verifyBundle(bundle);
    expect(report).toMatchObject({ ok: true, events: 21, head: chainHead });
    expect(report.files).toHaveLength(12);
    expect(bad(report.files)).toEqual([]);
    expect(report.firstBad).toBeUndefined();
  });

  it('names the file in which one byte was changed', async () => {
    const tampered = join(dir, 'byte.zip');
    await rezip(bundle, tampered, 'population.csv', (b) => {
      const i = b.indexOf('Łukasz');
      b[i] = 'K'.charCodeAt(0);
      return b;
    });
    const report = await verifyBundle(tampered);
    expect(report.ok).toBe(false);
    expect(bad(report.files)).toEqual(['population.csv']);
    expect(report.files.find((f) => f.name === 'population.csv')!.reason).toMatch(/SHA-256|size/);
    expect(report.firstBad).toBeUndefined(); // the chain itself is intact
  });

  it('names the first bad seq when an evidence line was altered', async () => {
    const tampered = join(dir, 'line.zip');
    const n = q.seq.refused - q.seq.lastBeforeQuarter.seq; // line index of the refusal (header is line 0)
    await rezip(bundle, tampered, 'evidence.jsonl', editLine(n, (l) => l.replace('self-review', 'fine')));
    const report = await verifyBundle(tampered);
    expect(report).toMatchObject({ ok: false, firstBad: q.seq.refused, events: q.seq.refused - q.seq.lastBeforeQuarter.seq - 1 });
    expect(report.reason).toMatch(/altered/);
    expect(bad(report.files)).toEqual(['evidence.jsonl']);
  });

  it('reports a file that is not a zip instead of throwing', async () => {
    const junk = join(dir, 'junk.zip');
    await writeFile(junk, 'not a zip');
    expect(await verifyBundle(junk)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a readable zip/) });
  });
});

/** Writes a zip of exactly these entries, in this order (a forger's own zip). */
async function writeZip(path: string, entries: [string, Buffer][]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, b] of entries) zip.addBuffer(b, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const manifestOf = async (path: string) => JSON.parse((await unzip(path)).get('manifest.json')!.toString('utf8'));

/**
 * Everything a forger without the private key can rewrite: a revocation in decisions.csv turned
 * into an approval; the last event of evidence.jsonl dropped, with the segment header's
 * lastSeq and events rewritten to match; every file hash in manifest.json, and its chainHead.
 */
async function forge(from: string, to: string): Promise<void> {
  const entries = await unzip(from);
  const decisions = entries.get('decisions.csv')!.toString('utf8');
  expect(decisions).toContain(`${q.items.revoked.id},`);
  const edited = decisions
    .split('\n')
    .map((l) => (l.includes(q.items.revoked.id) ? l.replace(',revoked,', ',approved,') : l))
    .join('\n');
  expect(edited).not.toBe(decisions);
  const lines = entries.get('evidence.jsonl')!.toString('utf8').trimEnd().split('\n');
  const header = JSON.parse(lines[0]!);
  const kept = lines.slice(1, -1);
  const evidence = `${[JSON.stringify({ ...header, lastSeq: header.lastSeq - 1, events: header.events - 1 }), ...kept].join('\n')}\n`;
  const rewritten = new Map(entries);
  rewritten.set('decisions.csv', Buffer.from(edited, 'utf8'));
  rewritten.set('evidence.jsonl', Buffer.from(evidence, 'utf8'));
  const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
  manifest.files = manifest.files.map((f: { name: string }) => ({ name: f.name, sha256: sha256(rewritten.get(f.name)!), bytes: rewritten.get(f.name)!.length }));
  manifest.chainHead = JSON.parse(kept.at(-1)!).hash;
  rewritten.set('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2), 'utf8'));
  await writeZip(to, [...rewritten]);
}

/** The real `attest` process, offline: no database is configured at all. */
const attest = (...args: string[]) => runAttest(dir, { PATH: process.env.PATH ?? '', HOME: dir, TZ: 'UTC', LOG_LEVEL: 'silent' }, args);

describe('signed bundles', () => {
  it('sign the manifest, name the key and carry the checkpoint and public key', async () => {
    const manifest = await manifestOf(signed);
    expect(manifest).toMatchObject({ keyId: keys.a.keyId, signature: expect.any(String), checkpoint: { keyId: keys.a.keyId, seq: expect.any(Number), hash: expect.any(String) } });
    expect(checkpointSignatureValid(parsePublicKey(keys.a.publicKeyPem), manifest.checkpoint)).toBe(true);
    const files = await unzip(signed);
    expect(manifest.files.map((f: { name: string }) => f.name)).toContain('public-key.pem');
    expect(files.get('public-key.pem')!.toString('utf8')).toBe(keys.a.publicKeyPem);
    // The checkpoint vouches for an event of this very segment.
    const events = files.get('evidence.jsonl')!.toString('utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as { seq: number; hash: string; action: string });
    expect(events.find((e) => e.seq === manifest.checkpoint.seq)?.hash).toBe(manifest.checkpoint.hash);
    expect(events.find((e) => e.seq === manifest.checkpoint.seq + 1)?.action).toBe('evidence.checkpoint');
    // The report says which key, which checkpoint, and the command that checks both.
    const html = files.get('report.html')!.toString('utf8');
    expect(html).toContain(keys.a.keyId);
    expect(html).toContain(manifest.checkpoint.hash);
    expect(html).toContain(`event ${manifest.checkpoint.seq}`);
    expect(html).toContain(`attest verify --bundle signed.zip --fingerprint ${keys.a.keyId}`);
    // Unsigned bundles keep the manifest as it was.
    expect(Object.keys(await manifestOf(bundle)).sort()).toEqual(['chainHead', 'files', 'generatedAt', 'generator', 'parameters']);
  });

  it('verify with the public key and with the fingerprint, and say unchecked without either', async () => {
    const { checkpoint } = await manifestOf(signed);
    const expected = { ok: true, signature: { status: 'verified', keyId: keys.a.keyId, checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash, ok: true } } };
    expect(await verifyBundle(signed, { publicKey: keys.a.publicKeyPem })).toMatchObject(expected);
    expect(await verifyBundle(signed, { fingerprint: keys.a.keyId.toUpperCase() })).toMatchObject(expected);
    expect(await verifyBundle(signed)).toMatchObject({ ok: true, signature: { status: 'unchecked', keyId: keys.a.keyId } });

    const byKey = await attest('verify', '--bundle', signed, '--public-key', keyFiles.a.public);
    expect(byKey.stderr).toBe('');
    expect(byKey.status).toBe(0);
    expect(byKey.stdout).toContain(`verifies: signed by key ${keys.a.keyId}`);
    expect(byKey.stdout).toContain(`ok   checkpoint: event ${checkpoint.seq}`);
    const byFingerprint = await attest('verify', '--bundle', signed, '--fingerprint', keys.a.keyId, '--json');
    expect(byFingerprint.status).toBe(0);
    expect(JSON.parse(byFingerprint.stdout)).toMatchObject({ ...expected, events: expect.any(Number), head: expect.any(String), files: expect.any(Array) });
  }, 60_000);

  it('fail a forger who rewrote every hash with "signature does not match", which integrity alone cannot see', async () => {
    const forged = join(dir, 'forged.zip');
    await forge(signed, forged);
    // Integrity only: every file matches the rewritten manifest and the shortened chain checks out.
    const blind = await verifyBundle(forged);
    expect(blind).toMatchObject({ ok: true, signature: { status: 'unchecked', keyId: keys.a.keyId } });
    expect(bad(blind.files)).toEqual([]);
    const blindCli = await attest('verify', '--bundle', forged);
    expect(blindCli.status).toBe(0);
    expect(blindCli.stdout).toContain('Checked integrity only');
    expect(blindCli.stdout).toContain('signer was not checked');

    const report = await verifyBundle(forged, { publicKey: keys.a.publicKeyPem });
    expect(report.ok).toBe(false);
    expect(report.signature).toMatchObject({ status: 'mismatch', keyId: keys.a.keyId, reason: expect.stringMatching(/^signature does not match/) });
    const cli = await attest('verify', '--bundle', forged, '--public-key', keyFiles.a.public);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('signature does not match');
    expect(cli.stdout).toContain('does NOT verify');
    const byFingerprint = await verifyBundle(forged, { fingerprint: keys.a.keyId });
    expect(byFingerprint.signature).toMatchObject({ status: 'mismatch', reason: expect.stringMatching(/^signature does not match/) });
  }, 60_000);

  it('refuse a bundle signed by another key, naming both keys', async () => {
    const byKey = await verifyBundle(signed, { publicKey: keys.b.publicKeyPem });
    expect(byKey.ok).toBe(false);
    expect(byKey.signature.status).toBe('mismatch');
    expect(byKey.signature.reason).toContain(`signed by key ${keys.a.keyId}, not by key ${keys.b.keyId}`);
    const byFingerprint = await verifyBundle(signed, { fingerprint: keys.b.keyId });
    expect(byFingerprint.ok).toBe(false);
    expect(byFingerprint.signature.status).toBe('mismatch');
    expect(byFingerprint.signature.reason).toContain(`signed by key ${keys.a.keyId}, not by key ${keys.b.keyId}`);
    const cli = await attest('verify', '--bundle', signed, '--fingerprint', keys.b.keyId, '--json');
    expect(cli.status).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, signature: { status: 'mismatch' } });
    expect(cli.stderr).toContain(keys.b.keyId);
  }, 60_000);

  it('refuse an unsigned bundle when a key is given, and pass it as integrity only without one', async () => {
    expect(await verifyBundle(bundle)).toMatchObject({ ok: true, signature: { status: 'unsigned' } });
    expect(await verifyBundle(bundle, { publicKey: keys.a.publicKeyPem })).toMatchObject({ ok: false, signature: { status: 'unsigned', reason: expect.stringMatching(/not signed/) } });
  });

  it('refuse a zip with a second manifest.json (one to show the signature, one the hashes)', async () => {
    const forged = join(dir, 'forged-for-second-manifest.zip');
    await forge(signed, forged);
    const genuine = await unzip(signed);
    const entries = [...(await unzip(forged))];
    await writeZip(join(dir, 'two-manifests.zip'), [['manifest.json', genuine.get('manifest.json')!], ...entries]);
    const report = await verifyBundle(join(dir, 'two-manifests.zip'), { publicKey: keys.a.publicKeyPem });
    expect(report.ok).toBe(false);
    expect(report.files.find((f) => f.name === 'manifest.json')).toMatchObject({ ok: false, reason: 'appears more than once in the zip' });
  });
});
