import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSpoolFile } from '../../src/domain/evidence/export/spool-file.js';

let scratch: string;
const savedTmp = process.env.TMPDIR;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'attest-spool-test-'));
  // os.tmpdir() reads TMPDIR on every call: the spool lands here.
  process.env.TMPDIR = scratch;
});
afterEach(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  await rm(scratch, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('the export’s spool file', () => {
  it('is never visible in the temporary directory, so an export killed part-way leaves nothing there', async () => {
    const spool = await openSpoolFile();
    await spool.append('x'.repeat(100_000));
    expect(await readdir(scratch)).toEqual([]);
    await spool.discard();
  });

  it('reads back everything appended, in order, across the held and the written text', async () => {
    const spool = await openSpoolFile();
    const parts = Array.from({ length: 3000 }, (_, i) => `row ${i},é,"q"\r\n`);
    for (const p of parts) await spool.append(p);
    expect(await text(await spool.read())).toBe(parts.join(''));
    await spool.discard();
    await spool.discard();
    expect(await readdir(scratch)).toEqual([]);
  });
});
