/**
 * Work a process has started and must not abandon at shutdown: Slack listener work that goes
 * on after its ack, exports being built for a Slack requester. SIGTERM waits for it (bounded by
 * SHUTDOWN_TIMEOUT_S); what is cut short by the bound or by a kill is safe to resume, since
 * every step commits its own state first.
 */
export class WorkInFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Returns `work` itself, remembered until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when everything tracked, including work started while waiting, has settled. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/** The process's one tracker: listeners and `serve`'s shutdown must share it. */
export const workInFlight = new WorkInFlight();
