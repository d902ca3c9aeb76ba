import type { ItemHints } from '../../db/schema/index.js';
import type { ReviewerItem, ReviewerPersonGroup } from '../../domain/reviews/find-reviewer-items.js';
import { decisionBarrier } from '../../domain/reviews/may-decide.js';
import { ACTION } from '../ids.js';
import { actions, button, overflow, section, type Block, type Button } from './blocks.js';
import { truncate } from './limits.js';
import { readerDay, slackDay, slackTime } from './review-time.js';
import { personValue, reassignValue } from './review-values.js';
import { escapeText, plural } from './text.js';

const DAY_MS = 86_400_000;
/** Reasons people type can be long; the item line shows the start, the evidence keeps it whole. */
const REASON_SHOWN = 300;
/** Names inside hint lines (a campaign, a department, a decider): enough to recognise, never the whole section. */
const NAME_SHOWN = 80;
const APPROVE_ALL_FOR = 'Approve all for ';

export interface ItemContext {
  campaignId: string;
  /** Whose DM this is: an item they may not decide gets no buttons (see decisionBarrier). */
  reviewerId: string;
  tz: string;
  now: Date;
  staleLoginDays: number;
  /** `<source>|<via>` → group name. */
  groupNames: Record<string, string>;
  /** False once the campaign is closed: nothing can be decided, so no buttons. */
  open: boolean;
}

/**
 * One item: its facts, then Approve/Revoke while pending, or what was decided by whom and when.
 * A pending item the reviewer may not decide says why instead of offering buttons that refuse.
 */
export function itemBlocks(item: ReviewerItem, ctx: ItemContext): Block[] {
  const facts = describeAccess(item, ctx);
  if (item.decision !== 'pending') return [section(`${facts}\n${decisionLine(item, ctx)}`)];
  if (!ctx.open) return [section(`${facts}\n_Not decided_`)];
  const barrier = decisionBarrier(item, ctx.reviewerId);
  if (barrier) return [section(`${facts}\n:no_entry_sign: _${escapeText(barrier)}_`)];
  return [
    section(facts),
    actions([
      button('Approve', ACTION.reviewApprove, { value: item.itemId, style: 'primary' }),
      button('Revoke', ACTION.reviewRevoke, { value: item.itemId, style: 'danger' }),
      overflow(ACTION.reviewKeep, [['Keep as exception', item.itemId]]),
    ]),
  ];
}

export function describeAccess(item: ReviewerItem, ctx: ItemContext): string {
  const s = item.snapshot;
  const via = s.via === 'direct' ? 'direct' : `via group *${escapeText(ctx.groupNames[`${s.source}|${s.via}`] ?? s.via.replace(/^group:/, ''))}*`;
  const lines = [`*${escapeText(s.resourceName)}* · ${escapeText(s.system)} · ${via}${s.privileged ? ' · :rotating_light: *privileged*' : ''}`];
  const account = s.accountLogin && s.accountLogin.toLowerCase() !== s.personEmail.toLowerCase() ? ` · account ${escapeText(s.accountLogin)}` : '';
  lines.push(`${loginLine(s.lastLoginAt, ctx)}${account}`);
  const second = secondReviewLine(item, ctx);
  if (second) lines.push(second);
  if (item.hints) lines.push(...hintLines(item.hints, ctx));
  if (item.delegatedFrom) {
    const who = escapeText(item.delegatedFrom.name || item.delegatedFrom.email);
    lines.push(`_Handed to you by ${who}${item.delegationReason ? `: “${escapeText(truncate(item.delegationReason, REASON_SHOWN))}”` : ''}_`);
  }
  if (item.fallbackReason) lines.push(`_You review this instead: ${escapeText(truncate(item.fallbackReason, REASON_SHOWN))}_`);
  return lines.join('\n');
}

/**
 * What is different about the item, as frozen at launch: its history (or that it is new), a
 * suggested revoke, an unusual grant, a grant no request explains. The words are a contract
 * (acceptance checks read them): keep them exactly.
 */
export function hintLines(h: ItemHints, ctx: Pick<ItemContext, 'tz'>): string[] {
  const lines: string[] = [];
  const name = (v: string) => escapeText(truncate(v, NAME_SHOWN));
  if (h.history) {
    const where = `in "${name(h.history.campaignName)}"`;
    const by = h.history.decidedByName ? name(h.history.decidedByName) : 'Attest (no response by the due date)';
    const on = h.history.decidedAt ? ` on ${readerDay(new Date(h.history.decidedAt), ctx.tz)}` : '';
    const done = { approved: 'Approved', revoked: 'Revoked', kept: 'Kept as exception' } as const;
    lines.push(h.history.decision === 'pending' ? `:repeat: Undecided ${where}` : `:repeat: ${done[h.history.decision]} ${where} by ${by}${on}`);
  } else if (h.compared) {
    lines.push(':new: New since the last review');
  }
  if (h.suggestRevoke) {
    const why = h.suggestRevoke.kind === 'never' ? 'never signed in' : `no sign-in for ${h.suggestRevoke.days} days`;
    lines.push(`:bulb: Suggested: revoke — ${why}`);
  }
  if (h.unusual) lines.push(`:mag: Unusual: ${h.unusual.holders} of ${h.unusual.peers} in ${name(h.unusual.department)} have this`);
  if (h.outsideRequest) lines.push(':grey_question: Granted outside a request');
  return lines;
}

/** A level-2 item: whose approval this is the second look at, and when it was given. */
export function secondReviewLine(item: Pick<ReviewerItem, 'hints'>, ctx: Pick<ItemContext, 'tz'>): string | null {
  const first = item.hints?.firstReview;
  if (!first) return null;
  const by = escapeText(truncate(first.decidedByName, 80));
  return `:busts_in_silhouette: Second review: approved by ${by} on ${slackDay(new Date(first.decidedAt), ctx.tz)}`;
}

function loginLine(lastLoginAt: string | null, ctx: ItemContext): string {
  if (!lastLoginAt) return ':hourglass: *No login recorded*';
  const at = new Date(lastLoginAt);
  const days = Math.max(0, Math.floor((ctx.now.getTime() - at.getTime()) / DAY_MS));
  const ago = days === 0 ? 'today' : `${plural(days, 'day')} ago`;
  if (days > ctx.staleLoginDays) return `:hourglass: *Stale:* last login ${slackDay(at, ctx.tz)} (${ago})`;
  return `Last login ${slackDay(at, ctx.tz)} (${ago})`;
}

export function decisionLine(item: ReviewerItem, ctx: ItemContext): string {
  const by = item.decidedBy?.personId ? escapeText(item.decidedBy.name) : 'Attest (no response by the due date)';
  const when = item.decidedAt ? ` · ${slackTime(item.decidedAt, ctx.tz)}` : '';
  if (item.decision === 'approved') return `:white_check_mark: *Approved* by ${by}${when}`;
  if (item.decision === 'kept') {
    const until = item.exceptionEndsAt ? ` · until ${slackDay(item.exceptionEndsAt, ctx.tz)}` : '';
    const control = item.exceptionControl ? ` — “${escapeText(truncate(item.exceptionControl, REASON_SHOWN))}”` : '';
    return `:shield: Kept as exception by ${by}${until}${control}`;
  }
  const why = item.reason ? ` — “${escapeText(truncate(item.reason, REASON_SHOWN))}”` : '';
  const removal = item.removalTiming === 'close' ? ' _(removed when the campaign closes)_' : ' _(removal requested)_';
  return `:no_entry: *Revoked* by ${by}${when}${why}${removal}`;
}

/** Whose access a group is, with Approve all for <name> and Reassign… while something is pending. */
export function personHeader(group: ReviewerPersonGroup, ctx: ItemContext): Block[] {
  const name = escapeText(group.personName);
  const who = group.orphaned
    ? `*${name}* · _orphaned account: no person in the directory_`
    : `*${name}* · ${escapeText(group.personEmail)}${group.department ? ` · ${escapeText(group.department)}` : ''}`;
  const decided = group.items.length - group.pending;
  const blocks: Block[] = [section(`${who}\n${plural(group.pending, 'item')} to decide · ${decided} decided`)];
  if (!ctx.open || group.pending === 0) return blocks;
  const buttons: Button[] = [];
  // Only when it would approve something: items the reviewer may not decide stay pending under it.
  if (group.personId && decidablePending(group.items, ctx.reviewerId) > 0) {
    // Slack refuses button text over 75 characters: shorten the name, never the words around it.
    const label = `${APPROVE_ALL_FOR}${truncate(group.personName.trim() || group.personEmail, 75 - APPROVE_ALL_FOR.length)}`;
    buttons.push(button(label, ACTION.reviewApprovePerson, { value: personValue(ctx.campaignId, group.personId) }));
  }
  const pendingIds = group.items.filter((i) => i.decision === 'pending').map((i) => i.itemId);
  const target = group.personId ? { campaignId: ctx.campaignId, personId: group.personId } : { campaignId: ctx.campaignId, itemIds: pendingIds };
  const reassign = reassignValue(target, group.personName || group.personEmail);
  if (reassign) buttons.push(button('Reassign…', ACTION.reviewReassign, { value: reassign }));
  if (buttons.length > 0) blocks.push(actions(buttons));
  return blocks;
}

/** Pending items the reviewer may decide: what `Approve all…` would approve. */
export function decidablePending(items: readonly ReviewerItem[], reviewerId: string): number {
  return items.filter((i) => i.decision === 'pending' && !decisionBarrier(i, reviewerId)).length;
}

/** Heads a person's items when they run on from the previous page. */
export function continuedHeader(group: ReviewerPersonGroup): Block {
  return section(`*${escapeText(group.personName)}* (continued)`);
}
