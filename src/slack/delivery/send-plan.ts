import { ErrorCode, type WebAPIPlatformError } from '@slack/web-api';
import type { DeliveredPage } from '../../domain/outbox/delivery-progress.js';
import { findThreadMessages } from '../../domain/outbox/find-thread-messages.js';
import type { Attempt, DeliveryContext } from './context.js';
import { findPostedPages, outboxMetadata } from './find-posted-pages.js';
import { slackCallsTotal } from './metrics.js';
import type { DeliveryPlan, RenderedMessage } from './types.js';

/** A plan no retry can fix (a renderer bug): the row fails with this message. */
export class InvalidPlan extends Error {
  override name = 'InvalidPlan';
}

/**
 * Sends one plan page by page, recording each page in the row's progress as soon as Slack
 * answers, so an attempt cut short (429, crash, timeout) resumes after the last page it saw.
 * `update` edits the pages remembered under the thread key and posts the ones that are new.
 */
export async function sendPlan(ctx: DeliveryContext, a: Attempt, plan: DeliveryPlan, target: string): Promise<void> {
  if (plan.mode === 'update' && !plan.threadKey) throw new InvalidPlan(`${a.row.kind}: an update plan needs a threadKey`);
  if (plan.threadKey) a.progress.threadKey = plan.threadKey;
  const earlier = new Map(a.progress.messages.filter((m) => m.action !== 'updated').map((m) => [m.page, m]));
  const remembered: Map<number, { channel: string; ts: string }> =
    plan.mode === 'update' ? await findThreadMessages(ctx.deps.db, plan.threadKey!) : new Map();
  for (const [page, message] of plan.messages.entries()) {
    if (earlier.has(page)) continue;
    const prior = remembered.get(page);
    const done = (prior && (await updatePage(ctx, a, prior, page, message))) || (await postPage(ctx, a, target, page, message));
    a.progress.messages = [...a.progress.messages.filter((m) => m.page !== page), done];
    await a.lease.record(a.progress);
  }
}

async function postPage(ctx: DeliveryContext, a: Attempt, target: string, page: number, message: RenderedMessage): Promise<DeliveredPage> {
  if (a.inDoubt) {
    a.found ??= await findPostedPages(ctx.slack, a.row, target, ctx.historyLimit);
    const hit = a.found.get(page);
    if (hit) return { page, ...hit, action: 'found' };
  }
  await ctx.pacer.beforePost(target, ctx.signal);
  await a.lease.ensure();
  a.posting = true;
  const res = await ctx.slack.chat
    .postMessage({ channel: target, text: message.text, blocks: message.blocks, metadata: outboxMetadata(a.row.id, page, message.metadata) })
    .finally(() => slackCallsTotal.inc({ method: 'chat.postMessage' }));
  a.posting = false;
  ctx.pacer.succeeded();
  return { page, channel: res.channel ?? target, ts: res.ts!, action: 'posted' };
}

/** False when the message is gone (deleted by an admin): the caller posts the page anew. */
async function updatePage(
  ctx: DeliveryContext,
  a: Attempt,
  prior: { channel: string; ts: string },
  page: number,
  message: RenderedMessage,
): Promise<DeliveredPage | false> {
  await ctx.pacer.beforeUpdate(ctx.signal);
  await a.lease.ensure();
  try {
    // Metadata is left as posted: it names the row that created the message.
    await ctx.slack.chat.update({ channel: prior.channel, ts: prior.ts, text: message.text, blocks: message.blocks });
  } catch (err) {
    const e = err as Partial<WebAPIPlatformError>;
    if (e.code === ErrorCode.PlatformError && e.data?.error === 'message_not_found') return false;
    throw err;
  } finally {
    slackCallsTotal.inc({ method: 'chat.update' });
  }
  return { page, channel: prior.channel, ts: prior.ts, action: 'updated' };
}
