import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { buildQuarter, Q, unzip, type Quarter } from '../factories/quarter.js';
import { exportBundle } from '../../src/domain/evidence/export/export-bundle.js';

// The export spools decisions.csv, the review part of remediation.csv and the undecided items
// to temporary files while population.csv streams (one read of the review items feeds them all).

let t: TestDatabase;
let q: Quarter;
let out: string;
let scratch: string;
const savedTmp = process.env.TMPDIR;

beforeAll(async () => {
  t = await createTestDatabase();
  q = await buildQuarter(t.db);
  out = await mkdtemp(join(tmpdir(), 'attest-export-out-'));
  scratch = await mkdtemp(join(tmpdir(), 'attest-export-tmp-'));
  // os.tmpdir() reads TMPDIR on every call: the export's temporary files land here.
  process.env.TMPDIR = scratch;
});
afterAll(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  await t.drop();
  await rm(out, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

describe('the export’s temporary files', () => {
  it('are gone once the bundle is written, and the spooled files are whole', async () => {
    const res = await exportBundle({ ...testDeps(t.db), clock: q.clock }, { period: { quarter: Q.quarter }, out: join(out, 'q4.zip'), actor: 'cli:test' });
    expect(await readdir(scratch)).toEqual([]);
    const files = await unzip(res.file);
    const lines = (name: string) => files.get(name)!.toString('utf8').split('\r\n').filter(Boolean).length - 1;
    expect(lines('decisions.csv')).toBe(res.rows['decisions.csv']);
    expect(lines('remediation.csv')).toBe(res.rows['remediation.csv']);
    expect(res.rows['decisions.csv']).toBeGreaterThan(0);
  });

  it('are gone after an export that fails part-way', async () => {
    // A directory where the zip's partial file should go: the zip cannot be written.
    await mkdir(join(out, 'bad.zip.partial'));
    await expect(exportBundle({ ...testDeps(t.db), clock: q.clock }, { period: { quarter: Q.quarter }, out: join(out, 'bad.zip'), actor: 'cli:test' })).rejects.toThrow();
    expect(await readdir(scratch)).toEqual([]);
  });
});
