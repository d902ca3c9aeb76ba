import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { getTaskCard } from '../../../domain/home/get-task-card.js';
import { completeTask } from '../../../domain/lifecycle/complete-task.js';
import { isUuid } from '../../../domain/reviews/require-uuid.js';
import { AppError } from '../../../errors.js';
import { ACTION } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { buildTaskNoteModal } from '../../views/task-note-modal.js';
import { actingPerson } from './acting-person.js';
import { showTaskOutcome } from './show-task-outcome.js';
import { tellClicker } from './tell-clicker.js';

/**
 * `Mark done` on a task DM: the owner says the manual work was carried out, in one click. An
 * admin standing in for the owner is asked for a note first (the modal; its submission is
 * listeners/views/task-note-submit.ts). The trigger id lives 3 seconds, so the modal opens
 * right after the domain's answer, with only the task's description looked up. The completion
 * commits before the ack: a process that died after an early ack would lose the click.
 */
export function registerTaskDone(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.taskDone, async ({ ack, body, action, client, respond }) => {
    const taskId = action.value ?? '';
    const tell = (m: Parameters<typeof tellClicker>[1]) => tellClicker({ body, client, respond, logger: deps.logger }, m);
    const message = { channelId: body.channel?.id ?? (body.container.channel_id as string | undefined) ?? null, ts: body.message?.ts ?? (body.container.message_ts as string | undefined) ?? null };
    let acked = false;
    const ackOnce = async () => {
      if (!acked) await ack();
      acked = true;
    };
    try {
      if (!isUuid(taskId)) throw new AppError('NOT_FOUND', 'That task no longer exists.');
      const { person } = await actingPerson(deps, body.user.id, 'task.complete', { task: taskId });
      const result = await completeTask(deps, { taskId, actorPersonId: person.id });
      await ackOnce();
      if (result.outcome === 'note_required') {
        const card = await getTaskCard(deps.db, taskId);
        await client.views.open({ trigger_id: body.trigger_id, view: buildTaskNoteModal({ taskId, channelId: message.channelId, messageTs: message.ts }, card.description) });
        return;
      }
      await showTaskOutcome(deps, client, { person, result, message, tell });
    } catch (err) {
      await ackOnce();
      await tell(errorReply(err, deps.logger, { action: ACTION.taskDone, task: taskId, user: body.user.id }));
    }
  });
}
