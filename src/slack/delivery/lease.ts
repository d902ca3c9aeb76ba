import type { Db } from '../../db/client.js';
import type { Clock } from '../../clock.js';
import type { ClaimedRow } from '../../domain/outbox/claim-outbox-rows.js';
import type { DeliveryProgress } from '../../domain/outbox/delivery-progress.js';
import { renewOutboxLease } from '../../domain/outbox/renew-outbox-lease.js';

/** Thrown when another worker took the row over (our lock expired): stop without touching Slack. */
export class LostLease extends Error {
  constructor(id: string) {
    super(`outbox row ${id} was taken over by another worker`);
    this.name = 'LostLease';
  }
}

/**
 * The lock a worker holds on one claimed row. Checked (and extended) before every Slack call,
 * so a worker that stalled past its lock never sends for a row someone else now owns; every
 * write is conditional on the exact lock value this worker set.
 */
export class Lease {
  private held: Date;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly id: string,
    claimed: ClaimedRow['lockedUntil'],
    private readonly lockMs: number,
  ) {
    this.held = claimed;
  }

  get lockedUntil(): Date {
    return this.held;
  }

  /** Before a Slack call: renews when half the lock is gone (a long wait for a rate-limit slot). */
  async ensure(): Promise<void> {
    if (this.held.getTime() - this.clock.now().getTime() > this.lockMs / 2) return;
    await this.renew();
  }

  /** After a Slack call: writes what was done, so a retry or a successor does not redo it. */
  async record(progress: DeliveryProgress): Promise<void> {
    await this.renew(progress);
  }

  private async renew(progress?: DeliveryProgress): Promise<void> {
    const next = new Date(this.clock.now().getTime() + this.lockMs);
    if (!(await renewOutboxLease(this.db, this.id, this.held, next, progress))) throw new LostLease(this.id);
    this.held = next;
  }
}
