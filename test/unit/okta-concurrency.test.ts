import { describe, expect, it } from 'vitest';
import { flatMapConcurrent, merge } from '../../src/connectors/okta/concurrency.js';
import { sleep } from '../../src/connectors/sleep.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('flatMapConcurrent', () => {
  it('runs at most `width` items at once and yields every output', async () => {
    let running = 0;
    let peak = 0;
    const out = await collect(
      flatMapConcurrent([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, async function* (n) {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(5);
        running -= 1;
        yield n * 10;
        yield n * 10 + 1;
      }),
    );
    expect(peak).toBe(3);
    expect(out).toHaveLength(20);
    expect(new Set(out).size).toBe(20);
  });

  it('yields an array output before anything from items taken after it', async () => {
    async function* source() {
      yield 'page';
      yield 'a';
      yield 'b';
    }
    const out = await collect(
      flatMapConcurrent(source(), 4, (item) =>
        item === 'page'
          ? ['page']
          : (async function* () {
              yield `member of ${item}`;
            })(),
      ),
    );
    expect(out[0]).toBe('page');
  });

  it('ends the stream with the first failure', async () => {
    const stream = flatMapConcurrent([1, 2, 3], 2, async function* (n) {
      await sleep(n);
      if (n === 2) throw new Error('page 2 failed');
      yield n;
    });
    await expect(collect(stream)).rejects.toThrow('page 2 failed');
  });

  it('a failing source fails the stream', async () => {
    async function* source() {
      yield 1;
      throw new Error('listing failed');
    }
    await expect(collect(flatMapConcurrent(source(), 2, (n) => [n]))).rejects.toThrow('listing failed');
  });

  it('stops and closes producers when the consumer stops early', async () => {
    let started = 0;
    let closed = 0;
    const stream = flatMapConcurrent([1, 2, 3, 4, 5, 6, 7, 8], 2, async function* (n) {
      started += 1;
      try {
        for (let i = 0; i < 100; i += 1) yield n;
      } finally {
        closed += 1;
      }
    });
    for await (const _ of stream) {
      // Long enough for both producers to fill the queue and wait for room.
      await sleep(10);
      break;
    }
    await sleep(20);
    expect(started).toBe(2);
    expect(closed).toBe(2);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const stream = merge([
      (async function* () {
        yield 1;
        await sleep(1000);
        yield 2;
      })(),
    ], controller.signal);
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(collect(stream)).rejects.toThrow('shutting down');
  });
});
