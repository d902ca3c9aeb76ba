import type { ClaimedRow } from '../../domain/outbox/claim-outbox-rows.js';
import { readProgress } from '../../domain/outbox/delivery-progress.js';
import { noSlackUser } from '../../domain/outbox/no-slack-user.js';
import { outboxUndeliverableTotal } from '../../domain/outbox/undeliverable-metrics.js';
import { settleOutboxRow, type Settlement } from '../../domain/outbox/settle-outbox-row.js';
import { classifyError } from './classify-error.js';
import type { Attempt, DeliveryContext } from './context.js';
import { Lease, LostLease } from './lease.js';
import { outboxDeliveriesTotal } from './metrics.js';
import { InvalidPlan, sendPlan } from './send-plan.js';

export type RowOutcome = 'sent' | 'skipped' | 'undeliverable' | 'retried' | 'rate_limited' | 'failed' | 'released' | 'lost';

/** Renders, sends and settles one claimed row. Never throws: every path ends in a settlement. */
export async function deliverRow(ctx: DeliveryContext, claimed: ClaimedRow): Promise<RowOutcome> {
  const { row } = claimed;
  const prior = readProgress(row.result);
  const a: Attempt = {
    row,
    lease: new Lease(ctx.deps.db, ctx.deps.clock, row.id, claimed.lockedUntil, ctx.lockMs),
    progress: { messages: prior.messages, ...(prior.threadKey ? { threadKey: prior.threadKey } : {}) },
    inDoubt: claimed.recovered || prior.inDoubt === true,
    posting: false,
  };
  let target: string | undefined;
  let settlement: Settlement;
  let outcome: RowOutcome;
  try {
    ({ settlement, outcome } = await attempt(ctx, a, claimed.recipient, (t) => (target = t)));
  } catch (err) {
    if (err instanceof LostLease) return lost(ctx, a);
    ({ settlement, outcome } = failure(ctx, a, target, err));
  }
  try {
    const settled = await settleOutboxRow(ctx.deps.db, ctx.deps.clock.now(), row.id, a.lease.lockedUntil, a.progress, settlement);
    if (!settled) return lost(ctx, a);
  } catch (err) {
    // The database is away: the lock expires and the row is taken up again (history check included).
    ctx.deps.logger.error({ err, outbox: row.id }, 'could not record an outbox delivery');
    return 'lost';
  }
  outboxDeliveriesTotal.inc({ kind: row.kind, outcome });
  if (outcome === 'undeliverable') outboxUndeliverableTotal.inc({ kind: row.kind });
  return outcome;
}

type Decided = { settlement: Settlement; outcome: RowOutcome };

async function attempt(ctx: DeliveryContext, a: Attempt, recipient: ClaimedRow['recipient'], setTarget: (t: string) => void): Promise<Decided> {
  const skip = (reason: string): Decided => ({ settlement: { status: 'sent', result: { skipped: reason } }, outcome: 'skipped' });
  if (a.row.attempts > ctx.maxAttempts) {
    return giveUp(ctx, a, `gave up after ${ctx.maxAttempts} attempts (the sender stopped mid-send each time)`);
  }
  const renderer = ctx.renderers[a.row.kind];
  if (!renderer) return giveUp(ctx, a, `no renderer for outbox kind "${a.row.kind}"`);
  const plan = await renderer(ctx.deps, a.row);
  if (!plan) return skip('renderer had nothing to send');
  // A person with no Slack user (unlinked since it was queued): the message waits for one, it is never sent as skipped.
  if (!plan.channel && recipient && !recipient.slackUserId) {
    return { settlement: { status: 'undeliverable', error: noSlackUser(recipient.email) }, outcome: 'undeliverable' };
  }
  const target = plan.channel ?? a.row.channel ?? recipient?.slackUserId;
  if (!target) return skip('no channel to send to');
  if (plan.messages.length === 0) return skip('plan has no messages');
  setTarget(target);
  await sendPlan(ctx, a, plan, target);
  a.progress.inDoubt = undefined;
  const first = [...a.progress.messages].sort((x, y) => x.page - y.page)[0];
  return { settlement: { status: 'sent', result: first ? { channel: first.channel, ts: first.ts } : {} }, outcome: 'sent' };
}

function failure(ctx: DeliveryContext, a: Attempt, target: string | undefined, err: unknown): Decided {
  const now = ctx.deps.clock.now();
  // Doubt left by an earlier attempt stays until a history look-up settled it.
  const unresolved = a.inDoubt && a.found === undefined;
  if (ctx.signal.aborted && (err as Error | null)?.name === 'AbortError') {
    a.progress.inDoubt = unresolved || undefined;
    return { settlement: { status: 'pending', at: now, error: a.row.lastError, counted: false }, outcome: 'released' };
  }
  if (err instanceof InvalidPlan) return giveUp(ctx, a, err.message);
  const f = classifyError(err);
  if (f.kind === 'permanent') return giveUp(ctx, a, f.message);
  if (f.kind === 'rate_limited') {
    ctx.pacer.rateLimited(target, f.retryAfterMs);
    a.progress.inDoubt = unresolved || undefined;
    const at = new Date(now.getTime() + f.retryAfterMs);
    return { settlement: { status: 'pending', at, error: f.message, counted: false }, outcome: 'rate_limited' };
  }
  a.progress.inDoubt = unresolved || (a.posting && !f.refused) || undefined;
  if (a.row.attempts >= ctx.maxAttempts) return giveUp(ctx, a, `gave up after ${a.row.attempts} attempts: ${f.message}`);
  ctx.deps.logger.warn({ outbox: a.row.id, kind: a.row.kind, attempt: a.row.attempts, err: f.message }, 'outbox delivery failed; will retry');
  const at = new Date(now.getTime() + ctx.backoffMs(a.row.attempts));
  return { settlement: { status: 'pending', at, error: f.message, counted: true }, outcome: 'retried' };
}

function giveUp(ctx: DeliveryContext, a: Attempt, error: string): Decided {
  ctx.deps.logger.error({ outbox: a.row.id, kind: a.row.kind, channel: a.row.channel, error }, 'outbox message failed permanently');
  return { settlement: { status: 'failed', error }, outcome: 'failed' };
}

function lost(ctx: DeliveryContext, a: Attempt): RowOutcome {
  ctx.deps.logger.warn({ outbox: a.row.id }, 'outbox row was taken over by another worker; left to it');
  return 'lost';
}
