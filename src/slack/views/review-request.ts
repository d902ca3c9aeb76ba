import type { ReviewRequest } from '../../domain/reviews/get-review-request.js';
import { coversAll } from '../../domain/reviews/signoff-coverage.js';
import { ACTION } from '../ids.js';
import { button, context, divider, fallback, header, section, type Block, type SlackMessage } from './blocks.js';
import { LIMITS } from './limits.js';
import { continuedHeader, decidablePending, itemBlocks, personHeader, type ItemContext } from './review-item.js';
import { readerTime, slackTime } from './review-time.js';
import { personValue } from './review-values.js';
import { escapeText, plural } from './text.js';

export interface ReviewMessagesInput {
  request: ReviewRequest;
  tz: string;
  now: Date;
  staleLoginDays: number;
}

/** The DM's section for service, bot and shared accounts (exact wording: acceptance checks read it). */
export const OWNERLESS_TITLE = 'Accounts without a person';

/** Every page keeps one block for its "Page i of n" line. */
const ROOM = LIMITS.messageBlocks - 1;

/**
 * The reviewer's DM for one campaign, as one or more messages. A message holds 50 blocks, so
 * a long review is paged: people stay whole where they fit and run on with a "(continued)"
 * line where they do not; every item appears on exactly one page, none is dropped.
 */
export function buildReviewMessages(input: ReviewMessagesInput): SlackMessage[] {
  const { request: r } = input;
  const ctx: ItemContext = {
    campaignId: r.campaign.id,
    reviewerId: r.reviewer.id,
    tz: input.tz,
    now: input.now,
    staleLoginDays: input.staleLoginDays,
    groupNames: r.groupNames,
    open: r.campaign.status === 'launched',
  };
  // Pages are laid out as if every item were still pending (2 blocks each): a decision then
  // never moves items to another page, so the message a reviewer is working in stays put.
  const itemSlots = ctx.open ? 2 : 1;
  const headSlots = ctx.open ? 2 : 1;
  const pages: Block[][] = [intro(input, ctx.open)];
  let used = pages[0]!.length;
  const newPage = () => {
    pages.push([]);
    used = 0;
  };
  const push = (blocks: Block[], slots: number) => {
    pages[pages.length - 1]!.push(...blocks);
    used += slots;
  };
  let ownerlessTitled = false;
  for (const group of r.groups) {
    // Accounts that belong to no person come last (see findReviewerItems), under their own title.
    const title = group.orphaned && !ownerlessTitled ? 1 : 0;
    if (ROOM - used < title + headSlots + (group.items.length > 0 ? itemSlots : 0)) newPage();
    if (title) {
      push([header(OWNERLESS_TITLE)], 1);
      ownerlessTitled = true;
    }
    push(personHeader(group, ctx), headSlots);
    for (const item of group.items) {
      if (ROOM - used < itemSlots) {
        newPage();
        push([continuedHeader(group)], 1);
      }
      push(itemBlocks(item, ctx), itemSlots);
    }
  }
  const name = escapeText(r.campaign.name);
  return pages.map((blocks, i) => {
    if (pages.length === 1) return { text: summaryText(input), blocks };
    const label = context(`*${name}* · page ${i + 1} of ${pages.length}`);
    return i === 0
      ? { text: summaryText(input), blocks: [...blocks, label] }
      : { text: fallback(`Access review “${name}” (page ${i + 1} of ${pages.length})`), blocks: [label, ...blocks] };
  });
}

function counts(r: ReviewRequest) {
  const items = r.groups.reduce((n, g) => n + g.items.length, 0);
  const pending = r.groups.reduce((n, g) => n + g.pending, 0);
  return { items, pending, people: r.groups.length };
}

function intro(input: ReviewMessagesInput, open: boolean): Block[] {
  const { request: r, tz } = input;
  const { items, pending, people } = counts(r);
  const name = escapeText(r.campaign.name);
  const blocks: Block[] = [header(`Access review: ${r.campaign.name}`)];
  const due = `Due *${slackTime(r.campaign.dueAt, tz)}*.`;
  if (items === 0) {
    blocks.push(section(`You have no items to review in *${name}* any more: they were handed to someone else. Nothing to do.`));
  } else if (!open) {
    blocks.push(section(`*${name}* is closed: its items can no longer be decided. ${plural(items - pending, 'item')} of ${items} were decided.${r.signoff ? `\n${signedLine(r, tz, items)}` : ''}`));
  } else if (pending === 0 && coversAll(r.signoff, items)) {
    blocks.push(section(`:tada: *All ${plural(items, 'item')} are decided.* Thank you, nothing more to do for *${name}*.\n${signedLine(r, tz, items)}`));
  } else if (pending === 0) {
    // The reviewer attests to the review as a whole: the button's value names whose review it is.
    // Signed before: items reached them after it, and a new sign-off covers all of them.
    const text = r.signoff
      ? `:tada: *All ${plural(items, 'item')} are decided.* ${arrivedAfter(r.signoff.itemCount, items)}: sign off again to cover ${items - r.signoff.itemCount === 1 ? 'it' : 'them'}.`
      : `:tada: *All ${plural(items, 'item')} are decided.* One last step: sign off to confirm you reviewed them.`;
    blocks.push(section(text, { accessory: button(r.signoff ? 'Sign off again' : 'Sign off', ACTION.reviewSignOff, { value: personValue(r.campaign.id, r.reviewer.id), style: 'primary' }) }));
  } else {
    const text =
      `*${name}* is a periodic access review (SOC 2): confirm that each person below still needs each access.\n` +
      `You review *${plural(items, 'item')}* for *${plural(people, 'person', 'people')}*; *${pending}* still to decide. ${due}\n` +
      'Approve what is still needed; Revoke asks you why and removes the rest. ' +
      '*Keep as exception* (the ⋯ menu) keeps access for a limited time under a compensating control.' +
      (r.signoff ? `\n${signedLine(r, tz, items, true)}` : '');
    // Offered only when it would approve something: items the reviewer may not decide stay pending.
    const decidable = r.groups.reduce((n, g) => n + decidablePending(g.items, r.reviewer.id), 0);
    blocks.push(section(text, decidable > 0 ? { accessory: button('Approve all remaining', ACTION.reviewApproveAll, { value: r.campaign.id }) } : {}));
  }
  blocks.push(divider());
  return blocks;
}

/**
 * Who signed and when. Items that reached the reviewer after it (a second review, a handover)
 * are not part of it (see signoff-coverage.ts): the line says what it covers rather than let it
 * pass for all of them, and while the campaign is open, that signing again covers them.
 */
function signedLine(r: ReviewRequest, tz: string, items: number, open = false): string {
  const s = r.signoff!;
  const line = `:white_check_mark: *Signed off* by ${escapeText(s.reviewerName)} · ${slackTime(s.signedAt, tz)}`;
  const later = items - s.itemCount;
  if (later <= 0) return line;
  if (open) {
    const them = later === 1 ? 'it' : 'them';
    return `${line}\n_Your sign-off covers the ${plural(s.itemCount, 'item')} decided before it. ${arrivedAfter(s.itemCount, items)}: once ${later === 1 ? 'it is' : 'they are'} decided, sign off again to cover ${them}._`;
  }
  const stands = later === 1 ? 'its decision stands on its own' : 'their decisions stand on their own';
  return (
    `${line}\n_Your sign-off covers the ${plural(s.itemCount, 'item')} decided before it. ` +
    `${plural(later, 'item')} reached you after it (a second review or a handover): ${stands}, outside the sign-off._`
  );
}

/** "1 item reached you after your sign-off", counted as the items it does not cover. */
function arrivedAfter(signed: number, items: number): string {
  return `${plural(items - signed, 'item')} reached you after your sign-off`;
}

function summaryText(input: ReviewMessagesInput): string {
  const { request: r, tz } = input;
  const { items, pending } = counts(input.request);
  const name = escapeText(r.campaign.name);
  if (pending === 0) return fallback(`Access review “${name}”: all ${items} items decided`);
  return fallback(`Access review “${name}”: ${pending} of ${items} items to review, due ${readerTime(r.campaign.dueAt, tz)}`);
}

/** A page that an earlier, longer version of the DM had: emptied so no stale buttons remain. */
export function retiredPage(campaignName: string): SlackMessage {
  const name = escapeText(campaignName);
  return { text: fallback(`Access review “${name}”`), blocks: [context(`*${name}*: this page is no longer used; the messages above list all your items.`)] };
}
