import type { ItemSnapshot } from '../../db/schema/index.js';
import { context, fallback, section, type SlackMessage } from './blocks.js';
import { truncate } from './limits.js';
import { readerDay, slackDay } from './review-time.js';
import { escapeText } from './text.js';

export interface ExceptionReminderInput {
  campaignName: string;
  snapshot: ItemSnapshot;
  endsAt: Date;
  control: string;
}

/** A week before an exception the reviewer granted ends: what, for whom, until when, under which control. */
export function buildExceptionReminderMessage(x: ExceptionReminderInput, tz: string): SlackMessage {
  const s = x.snapshot;
  const what = `*${escapeText(s.resourceName)}* (${escapeText(s.system)}) for *${escapeText(s.personName)}*`;
  const text =
    `:hourglass: *Exception ending:* you kept ${what} as an exception in *${escapeText(x.campaignName)}*. It ends ${slackDay(x.endsAt, tz)}.\n` +
    `Compensating control: “${escapeText(truncate(x.control, 300))}”`;
  return {
    text: fallback(`An exception you kept ends on ${readerDay(x.endsAt, tz)}: ${escapeText(s.resourceName)} for ${escapeText(s.personName)}`),
    blocks: [
      section(text),
      context('After that day it is reported as an expired exception. If the access is still needed, ask compliance to review it again; if not, have it removed.'),
    ],
  };
}
