import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, eventHash } from '../../src/domain/evidence/canonical.js';
import { SegmentChecker } from '../../src/domain/evidence/export/check-segment.js';

/** A chain of n events starting at `firstSeq`, linked to `prevHash`, as evidence.jsonl lines. */
function segment(firstSeq: number, n: number, prevHash = 'a'.repeat(64)): string[] {
  const lines = [JSON.stringify({ kind: 'attest.evidence-segment', prevHash, firstSeq, lastSeq: firstSeq + n - 1, events: n, from: 'x', to: 'y' })];
  let prev = prevHash;
  for (let i = 0; i < n; i++) {
    const e = { seq: firstSeq + i, at: `2026-10-0${1 + (i % 9)}T00:00:00.000Z`, actor: 'system', action: 'test.event', subject: { n: String(i) }, payload: { name: 'Łukasz', i } };
    const hash = eventHash(prev, e);
    lines.push(JSON.stringify({ ...e, prevHash: prev, hash }));
    prev = hash;
  }
  return lines;
}

/** Feeds the text in small, odd-sized chunks, splitting lines and multi-byte characters. */
function check(lines: string[]) {
  const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const c = new SegmentChecker();
  for (let i = 0; i < bytes.length; i += 7) c.push(bytes.subarray(i, i + 7));
  return c.end();
}

describe('SegmentChecker', () => {
  it('accepts a segment that starts mid-log, from its stated previous hash', () => {
    const lines = segment(41, 5);
    expect(check(lines)).toMatchObject({ ok: true, events: 5, head: JSON.parse(lines[5]!).hash });
  });

  it('names the first altered event', () => {
    const lines = segment(41, 5);
    lines[3] = lines[3]!.replace('"i":2', '"i":20');
    expect(check(lines)).toMatchObject({ ok: false, firstBad: 43, events: 2, reason: expect.stringMatching(/altered/) });
  });

  it('names a missing event', () => {
    const lines = segment(41, 5);
    lines.splice(2, 1);
    expect(check(lines)).toMatchObject({ ok: false, firstBad: 42, reason: expect.stringMatching(/missing/) });
  });

  it('names the first missing event of a truncated segment', () => {
    expect(check(segment(41, 5).slice(0, 4))).toMatchObject({ ok: false, firstBad: 44, reason: expect.stringMatching(/ends after 3 of the 5/) });
  });

  it('refuses a segment from seq 1 that does not start at genesis', () => {
    expect(check(segment(1, 2)).ok).toBe(false);
    expect(check(segment(1, 2, GENESIS_HASH))).toMatchObject({ ok: true, events: 2 });
  });

  it('refuses a file without the header line', () => {
    expect(check(segment(41, 2).slice(1))).toMatchObject({ ok: false, reason: expect.stringMatching(/header/) });
  });
});
