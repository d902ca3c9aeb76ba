import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../../deps.js';
import type { Person } from '../../../db/schema/index.js';
import { getTaskCard } from '../../../domain/home/get-task-card.js';
import type { CompleteTaskResult } from '../../../domain/lifecycle/complete-task.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import type { SlackMessage } from '../../views/blocks.js';
import { buildNotice } from '../../views/notice.js';
import { buildTaskAlreadyDone, buildTaskDone } from '../../views/review-notices.js';
import { buildTaskMessage } from '../../views/task-message.js';

/**
 * After `Mark done` (a click, or the admin's note modal): the task DM is updated in place (no
 * more button, who and when instead) and the person is told the outcome; a second click is told
 * who marked it done first.
 */
export async function showTaskOutcome(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>,
  client: WebClient,
  a: { person: Person; result: CompleteTaskResult; message: { channelId: string | null; ts: string | null }; tell: (m: SlackMessage) => Promise<void> },
): Promise<void> {
  const tz = readerZone(a.person.slackTz, deps.config.TZ);
  const card = await getTaskCard(deps.db, a.result.taskId, a.person.id);
  await updateMessage(deps, client, a.message, buildTaskMessage(card, tz, deps.clock.now()));
  if (a.result.outcome === 'done') await a.tell(buildTaskDone(a.result.requestDone));
  else if (a.result.outcome === 'already_done') await a.tell(buildTaskAlreadyDone(card.doneBy, card.doneAt, tz));
  else await a.tell(buildNotice('Say what was done to mark this task done for its owner.'));
}

/** The message the button sat in, when it was a message (not the Home tab). */
async function updateMessage(deps: Pick<Deps, 'logger'>, client: WebClient, at: { channelId: string | null; ts: string | null }, message: SlackMessage): Promise<void> {
  if (!at.channelId || !at.ts) return;
  try {
    await client.chat.update({ channel: at.channelId, ts: at.ts, text: message.text, blocks: message.blocks });
  } catch (err) {
    // The confirmation still goes out; a stale button only leads to "already marked done".
    deps.logger.warn({ err, channel: at.channelId, ts: at.ts }, 'could not update the task message');
  }
}
