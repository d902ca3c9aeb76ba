import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { completeTask } from '../../../domain/lifecycle/complete-task.js';
import { isAppError } from '../../../errors.js';
import { BLOCK, CALLBACK } from '../../ids.js';
import { errorReply } from '../../reply-error.js';
import { parseTaskNoteMetadata } from '../../views/task-note-modal.js';
import { actingPerson } from '../actions/acting-person.js';
import { showTaskOutcome } from '../actions/show-task-outcome.js';
import { tellUser } from '../actions/tell-clicker.js';
import { textOf } from './form-values.js';
import { within } from './within.js';

/**
 * The note an admin gives when marking someone else's task done. An empty note is refused in
 * the form; so is a refusal the use case gives in time (not allowed, own access). Then the
 * task DM is updated and the admin told, as for a click.
 */
export function registerTaskNoteSubmit(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(CALLBACK.taskNote, async ({ ack, body, view, client }) => {
    const meta = parseTaskNoteMetadata(view.private_metadata);
    const note = textOf(view, BLOCK.taskNote);
    if (!meta) return void (await ack({ response_action: 'errors', errors: { [BLOCK.taskNote]: 'This form is out of date: close it and click Mark done again.' } }));
    if (!note) return void (await ack({ response_action: 'errors', errors: { [BLOCK.taskNote]: 'Say what was done: it is kept as evidence with the task.' } }));

    const done = actingPerson(deps, body.user.id, 'task.complete', { task: meta.taskId }).then(async ({ person }) => ({
      person,
      result: await completeTask(deps, { taskId: meta.taskId, actorPersonId: person.id, note }),
    }));
    const early = await within(done);
    if (early.settled && !early.ok && isAppError(early.error)) {
      return void (await ack({ response_action: 'errors', errors: { [BLOCK.taskNote]: early.error.message } }));
    }
    await ack();

    const tell = (m: Parameters<typeof tellUser>[2]) =>
      tellUser(client, { userId: body.user.id, channelId: meta.channelId }, m).catch((err: unknown) => deps.logger.warn({ err }, 'could not answer a task note'));
    try {
      const { person, result } = await done;
      await showTaskOutcome(deps, client, { person, result, message: { channelId: meta.channelId, ts: meta.messageTs }, tell });
    } catch (err) {
      await tell(errorReply(err, deps.logger, { view: CALLBACK.taskNote, task: meta.taskId, user: body.user.id }));
    }
  });
}
