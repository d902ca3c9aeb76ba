/** Small concurrency tools for the Okta reader: a semaphore and a bounded fan-out. */

/** At most `size` holders at a time; waiters are served first come, first served. */
export class Slots {
  private free: number;
  private readonly waiters: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free += 1;
  }
}

/**
 * Runs `fn` over `source` with up to `width` items in progress and yields their outputs as they
 * arrive. Outputs given as an array are queued in the same tick the item is taken, so they come
 * out before anything produced by items taken after it; a promise of an array is for work whose
 * result is not pages. Producers pause while the consumer is
 * behind (memory stays bounded), and the first failure ends the whole stream.
 */
export async function* flatMapConcurrent<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  width: number,
  fn: (item: T) => AsyncIterable<R> | R[] | Promise<R[]>,
  signal?: AbortSignal,
): AsyncGenerator<R> {
  const iterator: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  const ready: R[] = [];
  const maxReady = Math.max(1, width) * 2;
  const roomWaiters: Array<() => void> = [];
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let running = 0;
  let wakeConsumer: (() => void) | undefined;
  const wake = () => {
    const w = wakeConsumer;
    wakeConsumer = undefined;
    w?.();
  };
  const room = async () => {
    while (!stopped && ready.length >= maxReady) await new Promise<void>((r) => roomWaiters.push(r));
  };

  const worker = async () => {
    while (!stopped) {
      const next = await iterator.next();
      if (next.done || stopped) return;
      const produced = fn(next.value);
      const out = produced instanceof Promise ? await produced : produced;
      if (Array.isArray(out)) {
        ready.push(...out);
        wake();
        await room();
        continue;
      }
      for await (const r of out) {
        if (stopped) return;
        ready.push(r);
        wake();
        await room();
      }
    }
  };

  signal?.addEventListener('abort', wake);
  for (let i = 0; i < Math.max(1, width); i += 1) {
    running += 1;
    worker()
      .catch((error: unknown) => {
        failure ??= { error };
        stopped = true;
      })
      .finally(() => {
        running -= 1;
        wake();
      });
  }
  try {
    for (;;) {
      if (failure) throw failure.error;
      signal?.throwIfAborted();
      if (ready.length) {
        const r = ready.shift() as R;
        roomWaiters.shift()?.();
        yield r;
        continue;
      }
      if (running === 0) return;
      await new Promise<void>((resolve) => {
        wakeConsumer = resolve;
      });
    }
  } finally {
    stopped = true;
    signal?.removeEventListener('abort', wake);
    for (const w of roomWaiters.splice(0)) w();
  }
}

/** Runs the streams one after another, as one stream. */
export async function* concat<R>(...streams: Array<() => AsyncIterable<R>>): AsyncGenerator<R> {
  for (const s of streams) yield* s();
}

/** Interleaves streams, each running concurrently, in arrival order. */
export function merge<R>(streams: Array<AsyncIterable<R>>, signal?: AbortSignal): AsyncGenerator<R> {
  return flatMapConcurrent(streams, streams.length, (s) => s, signal);
}
