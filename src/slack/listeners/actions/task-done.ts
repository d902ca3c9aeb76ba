import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../../deps.js';
import { getTaskCard } from '../../../domain/home/get-task-card.js';
import { completeTask } from '../../../domain/lifecycle/complete-task.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { isUuid } from '../../../domain/reviews/require-uuid.js';
import { AppError } from '../../../errors.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildTaskMessage } from '../../views/task-message.js';
import { buildTaskAlreadyDone, buildTaskDone } from '../../views/review-notices.js';
import { actingPerson } from './acting-person.js';
import { tellClicker } from './tell-clicker.js';

/**
 * `Mark done` on a task DM: the owner says the manual removal was carried out. The clicked
 * message is updated in place (no more button, who and when instead) and the clicker gets a
 * confirmation; a second click is told who marked it done first.
 */
export function registerTaskDone(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.taskDone, async ({ ack, body, action, client, respond }) => {
    await ack();
    const taskId = action.value ?? '';
    const tell = (m: Parameters<typeof tellClicker>[1]) => tellClicker({ body, client, respond, logger: deps.logger }, m);
    try {
      if (!isUuid(taskId)) throw new AppError('NOT_FOUND', 'That task no longer exists.');
      const { person } = await actingPerson(deps, body.user.id, 'task.complete', { task: taskId });
      const tz = readerZone(person.slackTz, deps.config.TZ);
      const result = await completeTask(deps, { taskId, actorPersonId: person.id });
      const card = await getTaskCard(deps.db, taskId, person.id);
      await updateClicked(client, body, buildTaskMessage(card, tz, deps.clock.now()), deps);
      await tell(result.outcome === 'done' ? buildTaskDone(result.requestDone) : buildTaskAlreadyDone(card.doneBy, card.doneAt, tz));
    } catch (err) {
      await tell(errorReply(err, deps.logger, { action: ACTION.taskDone, task: taskId, user: body.user.id }));
    }
  });
}

/** The message the button sat in, when it was a message (not the Home tab). */
async function updateClicked(client: WebClient, body: BlockAction, message: { text: string; blocks: unknown[] }, deps: Pick<Deps, 'logger'>): Promise<void> {
  const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
  const ts = body.message?.ts ?? (body.container.message_ts as string | undefined);
  if (!channel || !ts) return;
  try {
    await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks as never });
  } catch (err) {
    // The confirmation still goes out; a stale button only leads to "already marked done".
    deps.logger.warn({ err, channel, ts }, 'could not update the task message');
  }
}
