import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { buildQuarter, Q, rezip, unzip, type Quarter } from '../factories/quarter.js';
import { exportBundle } from '../../src/domain/evidence/export/export-bundle.js';
import { verifyBundle } from '../../src/domain/evidence/verify-bundle.js';

let t: TestDatabase;
let dir: string;
let q: Quarter;
let bundle: string;
let chainHead: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'attest-verify-'));
  q = await buildQuarter(t.db);
  bundle = (await exportBundle({ ...testDeps(t.db), clock: q.clock }, { period: { quarter: Q.quarter }, out: join(dir, 'q4.zip'), actor: 'cli:test' })).file;
  chainHead = JSON.parse((await unzip(bundle)).get('manifest.json')!.toString('utf8')).chainHead;
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
    expect(report.files).toHaveLength(10);
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

  it('catches a segment cut short even when the manifest was rewritten to match', async () => {
    const cut = join(dir, 'cut.zip');
    await rezip(bundle, cut, 'evidence.jsonl', (b) => Buffer.from(b.toString('utf8').trimEnd().split('\n').slice(0, -1).join('\n') + '\n'));
    // Re-sign the manifest so only the chain can tell.
    const entries = await unzip(cut);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    const { createHash } = await import('node:crypto');
    const ev = entries.get('evidence.jsonl')!;
    manifest.files = manifest.files.map((f: { name: string }) => (f.name === 'evidence.jsonl' ? { name: f.name, sha256: createHash('sha256').update(ev).digest('hex'), bytes: ev.length } : f));
    const resigned = join(dir, 'resigned.zip');
    await rezip(cut, resigned, 'manifest.json', () => Buffer.from(JSON.stringify(manifest)));
    const report = await verifyBundle(resigned);
    expect(report.ok).toBe(false);
    expect(bad(report.files)).toEqual([]);
    expect(report.firstBad).toBe(q.seq.lastBeforeQuarter.seq + 21);
    expect(report.reason).toMatch(/ends after 20 of the 21/);
  });

  it('reports a file that is not a zip instead of throwing', async () => {
    const junk = join(dir, 'junk.zip');
    await writeFile(junk, 'not a zip');
    expect(await verifyBundle(junk)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a readable zip/) });
  });
});
