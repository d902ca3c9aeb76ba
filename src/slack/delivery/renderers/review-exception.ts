import { eq } from 'drizzle-orm';
import { person } from '../../../db/schema/index.js';
import { getCampaign } from '../../../domain/reviews/get-campaign.js';
import { loadItem } from '../../../domain/reviews/load-item.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { buildExceptionReminderMessage } from '../../views/exception-reminder.js';
import type { Renderer } from '../types.js';
import { payloadIds } from './payload.js';

/** `review.exception_reminder`: to whoever kept the item, in their zone; nothing if it is no longer an exception. */
export const renderExceptionReminder: Renderer = async (deps, row) => {
  const { campaignId, itemId, reviewerId } = payloadIds(row, 'campaignId', 'itemId', 'reviewerId');
  const { item } = await loadItem(deps.db, itemId);
  if (item.decision !== 'kept' || !item.exceptionEndsAt) return null;
  const c = await getCampaign(deps.db, campaignId);
  const [reader] = await deps.db.select({ slackTz: person.slackTz }).from(person).where(eq(person.id, reviewerId));
  const tz = readerZone(reader?.slackTz, deps.config.TZ);
  return { mode: 'post', messages: [buildExceptionReminderMessage({ campaignName: c.name, snapshot: item.snapshot, endsAt: item.exceptionEndsAt, control: item.exceptionControl ?? '' }, tz)] };
};
