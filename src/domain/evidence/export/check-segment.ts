import { StringDecoder } from 'node:string_decoder';
import { GENESIS_HASH, eventHash } from '../canonical.js';
import type { SegmentHeader } from './evidence-segment.js';

export interface SegmentResult {
  ok: boolean;
  /** Events whose link and hash checked out, in order. */
  events: number;
  /** Hash of the last good event (the stated previous hash if none). */
  head: string;
  firstBad?: number;
  reason?: string;
  header?: SegmentHeader;
  /** The hash of the watched event (see the constructor), when the segment holds it intact. */
  watchedHash?: string;
}

interface EventLine {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: Record<string, string>;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/**
 * Re-checks an evidence.jsonl segment as its bytes arrive: the header states the hash of the
 * event before the first, and each event must carry the next sequence number, link to the one
 * before it, and hash to what it claims. Stops at the first bad event and names its seq.
 */
export class SegmentChecker {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private header: SegmentHeader | undefined;
  private prev = GENESIS_HASH;
  private expected = 1;
  private events = 0;
  private bad: { seq: number | undefined; reason: string } | undefined;
  private watchedHash: string | undefined;

  /** `watch`: a seq whose hash the caller wants (a checkpoint's head), kept once it checks out. */
  constructor(private readonly watch?: number) {}

  push(chunk: Buffer): void {
    if (this.bad) return;
    const text = this.rest + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  end(): SegmentResult {
    const tail = this.rest + this.decoder.end();
    if (tail.trim()) this.line(tail);
    if (!this.bad && !this.header) this.fail(undefined, 'evidence.jsonl has no segment header');
    if (!this.bad && this.header && this.events < this.header.events) {
      this.fail(this.expected, `the segment ends after ${this.events} of the ${this.header.events} events it states`);
    }
    const base = { events: this.events, head: this.prev, ...(this.header ? { header: this.header } : {}), ...(this.watchedHash ? { watchedHash: this.watchedHash } : {}) };
    if (!this.bad) return { ok: true, ...base };
    return { ok: false, ...base, ...(this.bad.seq !== undefined ? { firstBad: this.bad.seq } : {}), reason: this.bad.reason };
  }

  private line(text: string): void {
    if (this.bad || !text.trim()) return;
    if (!this.header) return this.readHeader(text);
    const seq = this.expected;
    let e: EventLine;
    try {
      e = JSON.parse(text) as EventLine;
    } catch {
      return this.fail(seq, `event ${seq} is not valid JSON`);
    }
    if (e.seq !== seq) return this.fail(seq, `event ${seq} is missing (found ${String(e.seq)})`);
    if (seq > this.header.lastSeq) return this.fail(seq, `event ${seq} is beyond the segment's stated end (${this.header.lastSeq})`);
    if (e.prevHash !== this.prev) return this.fail(seq, `event ${seq} does not link to the event before it`);
    if (eventHash(this.prev, e) !== e.hash) return this.fail(seq, `event ${seq} was altered after it was written`);
    if (seq === this.watch) this.watchedHash = e.hash;
    this.prev = e.hash;
    this.expected += 1;
    this.events += 1;
  }

  private readHeader(text: string): void {
    let h: SegmentHeader;
    try {
      h = JSON.parse(text) as SegmentHeader;
    } catch {
      return this.fail(undefined, 'the first line of evidence.jsonl is not a segment header');
    }
    if (h?.kind !== 'attest.evidence-segment' || typeof h.prevHash !== 'string' || !Number.isInteger(h.firstSeq)) {
      return this.fail(undefined, 'the first line of evidence.jsonl is not a segment header');
    }
    this.header = h;
    this.prev = h.prevHash;
    this.expected = h.firstSeq;
    // The very first event of a log can only follow the genesis hash.
    if (h.firstSeq === 1 && h.prevHash !== GENESIS_HASH) this.fail(1, 'the segment starts the log but does not start from the genesis hash');
  }

  private fail(seq: number | undefined, reason: string): void {
    this.bad ??= { seq, reason };
  }
}
